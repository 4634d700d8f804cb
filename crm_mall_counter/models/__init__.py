from . import res_company
from . import res_config_settings
from . import crm_mall_counter
from . import crm_mall_shift_template
from . import crm_mall_shift
from . import crm_mall_routing_rule
from . import crm_mall_visit
from . import crm_mall_subject
from . import crm_mall_lost_item
from . import document_page
from . import res_partner
from . import survey_user_input
from . import crm_iso_satisfaction_report
from . import crm_mall_qc_template
from . import crm_mall_qc_inspection
from . import crm_mall_qc_action_order
from . import crm_iso_measurement_plan
from . import crm_mall_kiosk_device
<<<<<<< HEAD
=======
from . import crm_mall_demo
from . import mgmtsystem_review
>>>>>>> h-qms
