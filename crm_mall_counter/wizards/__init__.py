from . import crm_mall_checkin
from . import crm_mall_cockpit
from . import crm_mall_kiosk_token_wizard
