# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
USE_BUTTONS = _lt("use Approve (survey managers), Done and Review")
MANAGER_GROUP = "crm_iso_surveys.group_survey_manager"

KPIS = [("csat", "CSAT %"), ("nps", "NPS"), ("ces", "CES"), ("index", "Index")]


class CrmIsoImprovementAction(models.Model):
    """An improvement raised from a KPI or a driver, with the KPI before/after."""

    _name = "crm.iso.improvement.action"
    _description = "Satisfaction improvement action"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.iso.guarded.mixin"]
    _order = "due_date, id desc"
    _crm_iso_protected = {
        "state": USE_BUTTONS,
        "approved_uid": USE_BUTTONS,
        "approved_date": USE_BUTTONS,
        "kpi_before": _lt("it is the plan's KPI when the action is raised"),
        "kpi_after": _lt("it is the plan's KPI at the review"),
        "reviewed_uid": USE_BUTTONS,
    }

    name = fields.Char(required=True, tracking=True)
    plan_id = fields.Many2one(
        "crm.iso.measurement.plan", check_company=True, required=True, index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    kpi = fields.Selection(KPIS, required=True, default="csat")
    driver_id = fields.Many2one(
        "survey.question",
        string="Driver question",
        domain=[("crm_iso_metric", "!=", False)],
    )
    owner_id = fields.Many2one(
        "res.users",
        check_company=True,
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    due_date = fields.Date(tracking=True)
    expected_effect = fields.Text()
    state = fields.Selection(
        [
            ("draft", "Proposed"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("reviewed", "Reviewed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    kpi_before = fields.Float(
        readonly=True, copy=False, help="The plan's KPI when raised."
    )
    kpi_after = fields.Float(
        readonly=True, copy=False, help="The plan's KPI at the review."
    )
    approved_uid = fields.Many2one(
        "res.users", string="Approved by", readonly=True, copy=False
    )
    approved_date = fields.Datetime(readonly=True, copy=False)
    reviewed_uid = fields.Many2one(
        "res.users", string="Reviewed by", readonly=True, copy=False
    )

    def _plan_kpi(self):
        self.ensure_one()
        rows = self.env["crm.iso.satisfaction.report"].get_kpis(
            [("plan_id", "=", self.plan_id.id), ("done", "=", True)]
        )
        return (rows[0][self.kpi] if rows else None) or 0.0

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions:
            action._crm_iso_write({"kpi_before": action._plan_kpi()})
        return actions

    def _check_state(self, state, what):
        if self.filtered(lambda a: a.state != state):
            raise UserError(
                self.env._(
                    "Only %(state)s actions can be %(what)s.",
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        state
                    ],
                    what=what,
                )
            )

    def _check_manager_not_owner(self, what):
        """Survey managers approve and review; never the action's own owner."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._(
                    "Only a survey manager may %(what)s an improvement action.",
                    what=what,
                )
            )
        if self.filtered(lambda a: a.owner_id == self.env.user):
            raise UserError(
                self.env._(
                    "%(user)s owns this improvement action: another survey manager "
                    "may %(what)s it.",
                    user=self.env.user.name,
                    what=what,
                )
            )

    def action_approve(self):
        self._check_manager_not_owner(self.env._("approve"))
        self._check_state("draft", self.env._("approved"))
        self._crm_iso_write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_done(self):
        self._check_state("approved", self.env._("done"))
        self._crm_iso_write({"state": "done"})
        return True

    def action_review(self):
        self._check_manager_not_owner(self.env._("review"))
        self._check_state("done", self.env._("reviewed"))
        for action in self:
            action._crm_iso_write(
                {
                    "state": "reviewed",
                    "kpi_after": action._plan_kpi(),
                    "reviewed_uid": self.env.uid,
                }
            )
        return True
