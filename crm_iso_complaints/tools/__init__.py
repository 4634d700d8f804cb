from . import formulas
from . import working_time
