# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

KINDS = [
    ("facilitative", "Facilitative (mediation, conciliation)"),
    ("advisory", "Advisory (evaluation, recommendation)"),
    ("determinative", "Determinative (arbitration, adjudication)"),
]


class CrmIsoDrMethod(models.Model):
    """A method of external dispute resolution (ISO 10003, 3.x)."""

    _name = "crm.iso.dr.method"
    _description = "Dispute resolution method"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(KINDS, required=True)
    sequence = fields.Integer(default=10)
    max_days = fields.Integer(
        string="Expected duration (days)",
        default=60,
        help="Deadline of a case from its submission to the provider.",
    )
    active = fields.Boolean(default=True)
