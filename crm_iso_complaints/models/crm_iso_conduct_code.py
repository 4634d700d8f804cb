# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmIsoConductCode(models.Model):
    """A customer-satisfaction code of conduct (ISO 10001): published promises."""

    _name = "crm.iso.conduct.code"
    _description = "Code of conduct"
    _check_company_auto = True
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    description = fields.Html(translate=True)
    owner_id = fields.Many2one(
        "res.users",
        check_company=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    published = fields.Boolean(
        tracking=True, help="Shown to customers on the /codes-of-conduct page."
    )
    active = fields.Boolean(default=True)
    commitment_ids = fields.One2many("crm.iso.conduct.commitment", "code_id")
