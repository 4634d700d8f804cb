# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_iso_repeat_complaint_count = fields.Integer(
        related="company_id.crm_iso_repeat_complaint_count", readonly=False
    )
    crm_iso_repeat_complaint_days = fields.Integer(
        related="company_id.crm_iso_repeat_complaint_days", readonly=False
    )
    crm_iso_dr_eligibility = fields.Selection(
        related="company_id.crm_iso_dr_eligibility", readonly=False
    )
    crm_iso_reopen_days = fields.Integer(
        related="company_id.crm_iso_reopen_days", readonly=False
    )
