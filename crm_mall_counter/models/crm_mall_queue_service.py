# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_mall_routing_rule import SUBJECT_TYPES


class CrmMallQueueService(models.Model):
    """A service a visitor queues for: its letter starts the queue numbers of
    its series (A-001, A-002... for complaints, B-001... for information)."""

    _name = "crm.mall.queue.service"
    _description = "Queue service"
    _order = "sequence, code"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        string="Letter",
        required=True,
        size=3,
        help="The letters before a queue number of this service (A for A-023).",
    )
    sequence = fields.Integer(default=10)
    subject_type = fields.Selection(
        SUBJECT_TYPES, help="The kind of subject this service mostly registers."
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: offered by every company's counters."
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint(
        "UNIQUE (code, company_id)", "A service letter must be unique per company."
    )

    @api.constrains("code")
    def _check_code(self):
        for service in self:
            if not service.code.isalpha():
                raise ValidationError(
                    self.env._(
                        "A service letter is made of letters only (got %(code)s).",
                        code=service.code,
                    )
                )
