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

    @api.constrains("crm_iso_min_sample_size")
    def _check_crm_iso_min_sample_size(self):
        if any(company.crm_iso_min_sample_size < 1 for company in self):
            raise ValidationError(self.env._("Minimum sample size must be at least 1."))
