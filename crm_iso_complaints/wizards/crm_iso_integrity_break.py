# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

KINDS = [
    ("altered", "Row changed"),
    ("removed", "Rows removed"),
    ("inserted", "Row inserted"),
    ("broken", "Chain broken before this row"),
    # a second row at a sequence, written before 19.0.2.3.0 (crm_iso_event.py)
    ("forked", "Fork kept from before 19.0.2.3.0"),
]


class CrmIsoIntegrityBreak(models.TransientModel):
    _name = "crm.iso.integrity.break"
    _description = "Event register break"
    _order = "company_id, sequence"

    check_id = fields.Many2one(
        "crm.iso.integrity.check", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", readonly=True)
    sequence = fields.Integer(string="Row", readonly=True)
    record_ref = fields.Char(string="Reference", readonly=True)
    event = fields.Char(readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    missing_from = fields.Integer(readonly=True)
    missing_to = fields.Integer(readonly=True)
