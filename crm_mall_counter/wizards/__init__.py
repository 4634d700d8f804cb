from . import crm_mall_checkin
from . import crm_mall_cockpit
