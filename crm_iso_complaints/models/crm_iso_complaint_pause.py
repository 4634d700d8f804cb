# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class CrmIsoComplaintPause(models.Model):
    """A period during which a complaint's clocks stood still."""

    _name = "crm.iso.complaint.pause"
    _description = "Complaint pause"
    _inherit = ["crm.iso.guarded.mixin"]
    _order = "start desc"
    _crm_iso_append_only = True
    _crm_iso_protected = dict.fromkeys(
        ("ticket_id", "start", "stop", "work_hours", "reason"),
        _lt("use Pause and Resume on the complaint"),
    )

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    start = fields.Datetime(required=True)
    stop = fields.Datetime()
    work_hours = fields.Float(string="Working hours paused")
    reason = fields.Text()
