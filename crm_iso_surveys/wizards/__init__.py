from . import crm_iso_chart_board
from . import survey_invite
