from . import main
from . import tracking
from . import read_your_writes
