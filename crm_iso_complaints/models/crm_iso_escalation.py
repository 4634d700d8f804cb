# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class CrmIsoEscalation(models.Model):
    """The log of escalations, reported per team."""

    _name = "crm.iso.escalation"
    _description = "Complaint escalation"
    _inherit = ["crm.iso.guarded.mixin"]
    _order = "date desc, id desc"
    _crm_iso_append_only = True
    _crm_iso_protected = dict.fromkeys(
        (
            "ticket_id",
            "team_id",
            "company_id",
            "level",
            "user_id",
            "date",
            "deadline",
            "nbr",
        ),
        _lt("the deadline cron escalates"),
    )

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, index=True)
    team_id = fields.Many2one("helpdesk.ticket.team", index=True)
    company_id = fields.Many2one("res.company", index=True)
    level = fields.Integer(aggregator="max")
    user_id = fields.Many2one("res.users", string="Escalated to")
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    deadline = fields.Selection(
        [("acknowledgement", "Acknowledgement"), ("resolution", "Resolution")]
    )
    nbr = fields.Integer(string="# Escalations", default=1, aggregator="sum")
