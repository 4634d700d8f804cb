# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_mall_review_hours = fields.Integer(
        related="company_id.crm_mall_review_hours", readonly=False
    )
    crm_mall_competitor_gap = fields.Float(
        related="company_id.crm_mall_competitor_gap", readonly=False
    )
    crm_mall_competence_required = fields.Boolean(
        related="company_id.crm_mall_competence_required", readonly=False
    )
    crm_mall_competence_remind_days = fields.Integer(
        related="company_id.crm_mall_competence_remind_days", readonly=False
    )
