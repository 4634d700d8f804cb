# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Improvement actions: OCA actions raised from a KPI or a driver of a measurement
plan, with the plan's KPI before and after.

Lifecycle: proposed (draft) -> approved (in progress, by a survey manager who does
not own it) -> done (closed) -> reviewed (the check, by a survey manager who neither
owns nor did it; the plan's KPI at the review is kept).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from odoo.addons.crm_iso_complaints.models.mgmtsystem_action import (
    STAGE_DRAFT,
    STAGE_OPEN,
)

_lt = LazyTranslate(__name__)
USE_BUTTONS = _lt("use Approve (survey managers), Done and Review")
MANAGER_GROUP = "crm_iso_surveys.group_survey_manager"

KPIS = [("csat", "CSAT %"), ("nps", "NPS"), ("ces", "CES"), ("index", "Index")]

#: the protected fields of suite actions once this addon is installed
#: this addon's share of the protected fields (the guard adds the shared ones)
SURVEYS_PROTECTED = {
    "crm_iso_approved_uid": USE_BUTTONS,
    "crm_iso_approved_date": USE_BUTTONS,
    "crm_iso_kpi_before": _lt("it is the plan's KPI when the action is raised"),
    "crm_iso_kpi_after": _lt("it is the plan's KPI at the review"),
}


class MgmtsystemAction(models.Model):
    _inherit = "mgmtsystem.action"
    _crm_iso_protected = SURVEYS_PROTECTED

    crm_iso_origin = fields.Selection(
        selection_add=[("satisfaction", "Satisfaction")],
        ondelete={"satisfaction": "set null"},
    )
    crm_iso_plan_id = fields.Many2one(
        "crm.iso.measurement.plan",
        string="Measurement plan",
        check_company=True,
        index="btree_not_null",
    )
    crm_iso_kpi = fields.Selection(KPIS, string="KPI")
    crm_iso_driver_id = fields.Many2one(
        "survey.question",
        string="Driver question",
        domain=[("crm_iso_metric", "!=", False)],
    )
    crm_iso_expected_effect = fields.Text(string="Expected effect")
    crm_iso_kpi_before = fields.Float(
        string="KPI before",
        readonly=True,
        copy=False,
        help="The plan's KPI when raised.",
    )
    crm_iso_kpi_after = fields.Float(
        string="KPI after",
        readonly=True,
        copy=False,
        help="The plan's KPI at the review.",
    )
    crm_iso_approved_uid = fields.Many2one(
        "res.users", string="Approved by", readonly=True, copy=False
    )
    crm_iso_approved_date = fields.Datetime(
        string="Approved on", readonly=True, copy=False
    )

    @api.constrains("crm_iso_origin", "crm_iso_plan_id", "crm_iso_kpi")
    def _check_crm_iso_plan(self):
        for action in self:
            if action.crm_iso_origin == "satisfaction" and not (
                action.crm_iso_plan_id and action.crm_iso_kpi
            ):
                raise ValidationError(
                    self.env._("An improvement action has a plan and a KPI.")
                )

    def _crm_iso_plan_kpi(self):
        self.ensure_one()
        rows = self.env["crm.iso.satisfaction.report"].get_kpis(
            [("plan_id", "=", self.crm_iso_plan_id.id), ("done", "=", True)]
        )
        return (rows[0][self.crm_iso_kpi] if rows else None) or 0.0

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["crm.iso.measurement.plan"]
        vals_list = [dict(vals) for vals in vals_list]  # the caller's stay as given
        for vals in vals_list:
            if vals.get("crm_iso_origin") == "satisfaction":
                vals.setdefault("crm_iso_kpi", "csat")
                plan = plans.browse(vals.get("crm_iso_plan_id"))
                if plan and "company_id" not in vals:
                    vals["company_id"] = plan.company_id.id
        actions = super().create(vals_list)
        for action in actions.filtered(lambda a: a.crm_iso_origin == "satisfaction"):
            action._crm_iso_write({"crm_iso_kpi_before": action._crm_iso_plan_kpi()})
        return actions

    # ------------------------------------------------------------ transitions
    def _crm_iso_check_survey_manager(self, what):
        """Survey managers approve and review; never the action's own owner."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._(
                    "Only a survey manager may %(what)s an improvement action.",
                    what=what,
                )
            )

    def action_crm_iso_approve(self):
        if self.filtered(lambda a: a.crm_iso_origin != "satisfaction"):
            raise UserError(self.env._("Only improvement actions are approved."))
        self._crm_iso_check_survey_manager(self.env._("approve"))
        if self.filtered(lambda a: a.user_id == self.env.user):
            raise UserError(
                self.env._(
                    "%(user)s owns this improvement action: another survey manager "
                    "may approve it.",
                    user=self.env.user.name,
                )
            )
        return self._crm_iso_move(
            (STAGE_DRAFT,),
            STAGE_OPEN,
            {
                "crm_iso_approved_uid": self.env.uid,
                "crm_iso_approved_date": fields.Datetime.now(),
            },
        )

    def action_crm_iso_start(self):
        if self.filtered(lambda a: a.crm_iso_origin == "satisfaction"):
            raise UserError(self.env._("An improvement action starts when approved."))
        return super().action_crm_iso_start()

    def _crm_iso_done_from(self):
        if self.crm_iso_origin == "satisfaction":
            return (STAGE_OPEN,)
        return super()._crm_iso_done_from()

    def _crm_iso_check_allowed(self):
        if self.crm_iso_origin == "satisfaction":
            self._crm_iso_check_survey_manager(self.env._("review"))
        return super()._crm_iso_check_allowed()

    def _crm_iso_check_values(self, effective):
        values = super()._crm_iso_check_values(effective)
        if self.crm_iso_origin == "satisfaction":
            values["crm_iso_kpi_after"] = self._crm_iso_plan_kpi()
        return values

    def action_crm_iso_review(self):
        """The review of a done improvement action: effective."""
        return self.action_crm_iso_check(True)

    @api.model
    def _crm_iso_escalation_groups(self):
        return dict(super()._crm_iso_escalation_groups(), satisfaction=MANAGER_GROUP)
