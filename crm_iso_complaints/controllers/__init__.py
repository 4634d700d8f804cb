from . import main
from . import tracking
