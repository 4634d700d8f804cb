from . import test_app
