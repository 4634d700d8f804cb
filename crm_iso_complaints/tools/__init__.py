from . import clock
from . import formulas
from . import jalali
from . import report_sql
from . import working_time
