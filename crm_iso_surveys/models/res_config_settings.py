# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_iso_min_sample_size = fields.Integer(
        related="company_id.crm_iso_min_sample_size", readonly=False
    )
    crm_iso_at_risk_low_count = fields.Integer(
        related="company_id.crm_iso_at_risk_low_count", readonly=False
    )
    crm_iso_at_risk_days = fields.Integer(
        related="company_id.crm_iso_at_risk_days", readonly=False
    )
    crm_iso_lost_days = fields.Integer(
        related="company_id.crm_iso_lost_days", readonly=False
    )
