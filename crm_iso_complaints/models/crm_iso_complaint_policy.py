# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import formulas
from .crm_iso_deadline_target import METRICS


class CrmIsoComplaintPolicy(models.Model):
    """Deadlines of complaints, in working hours of a calendar.

    The most specific active policy matching a complaint applies: each of
    category (including its sub-categories), team and severity that a policy
    sets must match, and the policy setting the most of them wins (then the
    lowest sequence).
    """

    _name = "crm.iso.complaint.policy"
    _description = "Complaint deadline policy"
    _check_company_auto = True
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    category_id = fields.Many2one("helpdesk.ticket.category", check_company=True)
    team_id = fields.Many2one("helpdesk.ticket.team", check_company=True)
    severity = fields.Selection(formulas.SEVERITIES)
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        help="Working time and public holidays the deadlines are counted on.",
    )
    ack_hours = fields.Float(
        string="Acknowledge within (working hours)", required=True, default=8
    )
    resolve_hours = fields.Float(
        string="Resolve within (working hours)", required=True, default=80
    )
    first_response_hours = fields.Float(
        string="First response within (working hours)",
        help="Zero: no first-response deadline.",
    )
    update_hours = fields.Float(
        string="Update the complainant every (working hours)",
        help="Zero: no periodic update deadline.",
    )
    target_ids = fields.One2many(
        "crm.iso.deadline.target",
        "policy_id",
        string="Targets by priority",
        help="Overrides the targets above for a priority.",
    )
    escalation_level_ids = fields.One2many(
        "crm.iso.escalation.level", "policy_id", string="Escalation levels"
    )
    warn_percent = fields.Integer(
        string="Warn at (% of the time)",
        default=75,
        help="The responsible gets an activity when this share of the time is used.",
    )

    @api.constrains("ack_hours", "resolve_hours", "warn_percent", "calendar_id")
    def _check_hours(self):
        for policy in self:
            if not policy.calendar_id:
                raise ValidationError(
                    self.env._(
                        "Policy %(name)s needs working hours (a calendar) to count "
                        "its deadlines on.",
                        name=policy.name,
                    )
                )
            if policy.ack_hours <= 0 or policy.resolve_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "Deadlines of policy %(name)s must be positive working hours.",
                        name=policy.name,
                    )
                )
            if policy.resolve_hours < policy.ack_hours:
                raise ValidationError(
                    self.env._(
                        "Policy %(name)s resolves before it acknowledges.",
                        name=policy.name,
                    )
                )
            if not 1 <= policy.warn_percent <= 99:
                raise ValidationError(
                    self.env._("The warning share must be between 1 and 99%.")
                )

    def _targets(self, priority):
        """{metric field: hours} for a priority: its matrix row, else the defaults."""
        self.ensure_one()
        row = self.target_ids.filtered(lambda r: r.priority == priority)[:1]
        source = row or self
        return {metric: source[metric] for metric in METRICS}

    @api.model
    def _match(self, tickets):
        """{ticket id: best policy} for a batch of complaints, without a query each."""
        policies = self.search([("company_id", "in", [False, *tickets.company_id.ids])])
        result = {}
        for ticket in tickets:
            best, best_key = self.browse(), None
            category_path = ticket.category_id.parent_path or ""
            for policy in policies:
                if policy.company_id not in (
                    ticket.company_id,
                    self.env["res.company"],
                ):
                    continue
                if policy.category_id and not category_path.startswith(
                    policy.category_id.parent_path
                ):
                    continue
                if policy.team_id and policy.team_id != ticket.team_id:
                    continue
                if policy.severity and policy.severity != ticket.complaint_severity:
                    continue
                specificity = sum(
                    bool(x)
                    for x in (policy.category_id, policy.team_id, policy.severity)
                )
                key = (-specificity, policy.sequence, policy.id)
                if best_key is None or key < best_key:
                    best, best_key = policy, key
            result[ticket.id] = best
        return result
