from . import crm_mall_checkin
