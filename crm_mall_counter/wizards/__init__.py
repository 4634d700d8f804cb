from . import crm_mall_checkin
from . import crm_mall_cockpit
from . import crm_mall_cockpit_line
from . import crm_mall_kiosk_token_wizard
from . import crm_mall_subject_review
from . import crm_mall_lost_item_match
from . import crm_mall_visit_transfer
from . import crm_mall_display_token_wizard
