# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The head of each company's event register: its last sequence and hash.

One row per company, the row every append of that company locks and moves
(``crm.iso.event._append``). It is a table of its own, not two columns of
``res.company``: locking the company row would make every append wait for (and
fail the serialization of) anyone saving the company or its settings, and the
ORM caches companies everywhere. Rows are created and moved by SQL only, by the
register; no group may create, change or delete one.
"""

from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class CrmIsoEventHead(models.Model):
    _name = "crm.iso.event.head"
    _description = "ISO event register head"
    _inherit = ["crm.iso.guarded.mixin"]
    _log_access = False
    _crm_iso_append_only = True
    _rec_name = "company_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    sequence = fields.Integer(string="Last sequence", readonly=True, required=True)
    hash = fields.Char(string="Last hash", readonly=True)

    _company_uniq = models.Constraint(
        "UNIQUE (company_id)", "A company's register has one head."
    )

    _crm_iso_protected = dict.fromkeys(
        ["company_id", "sequence", "hash"], _lt("the register moves its head itself")
    )
