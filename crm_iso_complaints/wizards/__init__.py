from . import crm_iso_complaint_reason_wizard
from . import crm_iso_integrity_check
from . import crm_iso_integrity_break
from . import crm_iso_integrity_head
from . import crm_iso_chart_board
from . import crm_iso_integrity_report
