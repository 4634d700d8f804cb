# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

SUBJECT_TYPES = [
    ("complaint", "Complaint"),
    ("request", "Request"),
    ("suggestion", "Suggestion"),
    ("information", "Information"),
    ("lost_found", "Lost and found"),
    ("compliment", "Compliment"),
]


class CrmMallRoutingRule(models.Model):
    """Where a registered subject goes: subject type x category -> team/assignee.

    The most specific matching rule wins (a category, including its
    sub-categories, beats none; then the sequence). Rules never point at other
    rules, so routing cannot loop; a rule without a type is a default.
    """

    _name = "crm.mall.routing.rule"
    _description = "Subject routing rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    subject_type = fields.Selection(SUBJECT_TYPES, help="Empty: any type (default).")
    category_id = fields.Many2one("helpdesk.ticket.category")
    action = fields.Selection(
        [("ticket", "Create a ticket"), ("activity", "Schedule an activity")],
        default="ticket",
        required=True,
    )
    team_id = fields.Many2one("helpdesk.ticket.team")
    user_id = fields.Many2one("res.users", string="Assignee")
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )

    @api.constrains("action", "team_id", "user_id")
    def _check_target(self):
        for rule in self:
            if rule.action == "ticket" and not rule.team_id:
                raise ValidationError(
                    self.env._("A rule creating tickets needs a team.")
                )
            if rule.action == "activity" and not rule.user_id:
                raise ValidationError(
                    self.env._("A rule scheduling activities needs an assignee.")
                )

    @api.model
    def _route(self, subject):
        """The rule that applies to a subject; UserError when none does."""
        path = subject.category_id.parent_path or ""
        candidates = self.search(
            [
                ("subject_type", "in", [subject.subject_type, False]),
                ("company_id", "in", [subject.company_id.id, False]),
            ]
        ).filtered(
            lambda r: not r.category_id or path.startswith(r.category_id.parent_path)
        )
        if not candidates:
            raise UserError(
                self.env._(
                    "No routing rule (and no default team) for %(type)s subjects: "
                    "configure one in Mall CRM > Configuration > Routing.",
                    type=dict(SUBJECT_TYPES)[subject.subject_type],
                )
            )
        return candidates.sorted(
            lambda r: (not r.subject_type, not r.category_id, r.sequence, r.id)
        )[0]
