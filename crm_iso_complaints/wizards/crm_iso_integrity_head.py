# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmIsoIntegrityHead(models.TransientModel):
    """The last row of each company's chain: what an auditor writes down to
    detect, at the next check, rows removed from the end or a chain rewritten."""

    _name = "crm.iso.integrity.head"
    _description = "Event register head"

    check_id = fields.Many2one(
        "crm.iso.integrity.check", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", readonly=True)
    sequence = fields.Integer(string="Last row", readonly=True)
    hash = fields.Char(readonly=True)
