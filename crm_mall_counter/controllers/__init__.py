from . import kiosk
from . import display
from . import pocket
