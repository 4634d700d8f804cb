# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmMallAnswer(models.Model):
    """An approved answer to a frequent information request."""

    _name = "crm.mall.answer"
    _description = "Approved answer"
    _inherit = ["mail.thread"]
    _order = "name"
    _rec_names_search = ["name", "keywords", "answer"]

    name = fields.Char(string="Question", required=True, translate=True)
    keywords = fields.Char(translate=True, help="Words visitors use for it.")
    answer = fields.Html(required=True, translate=True)
    approved = fields.Boolean(tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
