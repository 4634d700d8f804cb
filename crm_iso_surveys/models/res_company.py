# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_iso_min_sample_size = fields.Integer(
        string="Minimum sample size",
        default=30,
        help="KPIs computed on fewer responses than this are flagged as a "
        "small sample.",
    )
    crm_iso_at_risk_low_count = fields.Integer(
        string="At risk after low scores", default=2
    )
    crm_iso_at_risk_days = fields.Integer(string="Within (days)", default=180)
    crm_iso_lost_days = fields.Integer(
        string="Lost after (days without contact)", default=365
    )

    @api.constrains(
        "crm_iso_min_sample_size",
        "crm_iso_at_risk_low_count",
        "crm_iso_at_risk_days",
        "crm_iso_lost_days",
    )
    def _check_crm_iso_min_sample_size(self):
        for company in self:
            if (
                min(
                    company.crm_iso_min_sample_size,
                    company.crm_iso_at_risk_low_count,
                    company.crm_iso_at_risk_days,
                    company.crm_iso_lost_days,
                )
                < 1
            ):
                raise ValidationError(
                    self.env._(
                        "Sample size, low-score count and day windows must be at "
                        "least 1."
                    )
                )
