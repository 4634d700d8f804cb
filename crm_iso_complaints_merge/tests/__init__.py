from . import test_merge_wizard
