from . import kiosk
from . import display
