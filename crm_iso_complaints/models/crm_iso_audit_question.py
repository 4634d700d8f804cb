# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

SECTIONS = [
    ("framework", "Framework: commitment, policy, responsibility"),
    ("planning", "Planning: resources and competence"),
    ("operation", "Operation of the process"),
    ("improvement", "Maintenance and improvement"),
]


class CrmIsoAuditQuestion(models.Model):
    """A question of the ISO 10002 audit template.

    An ISO 10002 audit (``mgmtsystem.audit``) takes the active questions of its
    company as verification lines when it is first prefilled. A question with an
    evidence ``code`` is answered from the suite's records (see
    ``tools/audit_scoring.py``); the others are scored by the auditor.
    """

    _name = "crm.iso.audit.question"
    _description = "ISO 10002 audit question"
    _order = "sequence, id"

    name = fields.Char(string="Question", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    section = fields.Selection(SECTIONS, required=True)
    clause = fields.Char(help="The ISO 10002 clause the question follows.")
    code = fields.Char(
        string="Evidence",
        help="The key of the evidence the suite computes for this question "
        "(tools/audit_scoring.py); empty: the auditor scores it.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the question of every company."
    )
