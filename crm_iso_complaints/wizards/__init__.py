from . import crm_iso_complaint_reason_wizard
