from . import test_app
from . import test_phone
from . import test_counter
from . import test_concurrency
