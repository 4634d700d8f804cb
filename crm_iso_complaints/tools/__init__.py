from . import formulas
from . import jalali
from . import working_time
