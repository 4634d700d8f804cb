from . import test_app
from . import test_metrics
from . import test_satisfaction
from . import test_review
from . import test_charts
from . import test_fatigue
from . import test_jobs
from . import test_readonly_entry_points
