# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class CrmIsoEscalationLevel(models.Model):
    """A level of escalation of a policy: who, and when in the deadline's life."""

    _name = "crm.iso.escalation.level"
    _description = "Complaint escalation level"
    _order = "policy_id, level"

    policy_id = fields.Many2one(
        "crm.iso.complaint.policy", required=True, ondelete="cascade", index=True
    )
    level = fields.Integer(required=True, default=1)
    percent = fields.Integer(
        string="At % of the deadline",
        default=100,
        help="Share of the working time to the deadline after which this level "
        "is alerted; 100 = when the deadline is breached.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Person",
        help="Empty: the leader of the complaint's team.",
    )

    _level_uniq = models.Constraint(
        "UNIQUE (policy_id, level)", "A policy has one row per escalation level."
    )

    @api.constrains("level", "percent")
    def _check_level(self):
        for row in self:
            if not 1 <= row.level <= 3:
                raise ValidationError(self.env._("Escalation levels go from 1 to 3."))
            if not 1 <= row.percent <= 100:
                raise ValidationError(
                    self.env._(
                        "An escalation happens between 1% and 100% of a deadline."
                    )
                )


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
