# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmIsoTouchpoint(models.Model):
    _name = "crm.iso.touchpoint"
    _description = "Customer touchpoint"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable technical code.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    description = fields.Text(translate=True)

    _code_uniq = models.Constraint(
        "UNIQUE (code, company_id)", "A touchpoint code must be unique per company."
    )
