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
    _check_company_auto = True

    name = fields.Char(
        required=True,
        translate=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        help="Empty at creation: named after its type and category.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    subject_type = fields.Selection(SUBJECT_TYPES, help="Empty: any type (default).")
    category_id = fields.Many2one("helpdesk.ticket.category", check_company=True)
    action = fields.Selection(
        [("ticket", "Create a ticket"), ("activity", "Schedule an activity")],
        default="ticket",
        required=True,
    )
    team_id = fields.Many2one("helpdesk.ticket.team", check_company=True)
    user_id = fields.Many2one("res.users", string="Assignee", check_company=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )

    @api.depends()
    def _compute_name(self):
        """A rule created without a name (over RPC, or existing before names
        existed: computed once when the column is added) is named after what it
        routes: "Rule for Complaint, Shops" or "Default rule"."""
        labels = dict(self._fields["subject_type"]._description_selection(self.env))
        for rule in self.filtered(lambda r: not r.name):
            if rule.subject_type:
                name = self.env._("Rule for %(type)s", type=labels[rule.subject_type])
            else:
                name = self.env._("Default rule")
            if rule.category_id:
                name = f"{name}, {rule.category_id.name}"
            rule.name = name

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
    def _crm_mall_route(self, subject):
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
