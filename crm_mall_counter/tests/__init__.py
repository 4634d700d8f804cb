from . import test_app
from . import test_phone
from . import test_counter
from . import test_concurrency
from . import test_qc
from . import test_kiosk_cockpit
from . import test_kiosk_input
from . import test_demo
