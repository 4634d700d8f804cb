# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A goal of a CRM plan: a measure the suite computes, a target, a direction.
The value is read live for the plan's company and period from the one place
each measure is computed (see ``MEASURES`` and crm.mall.plan._crm_mall_measures)."""

from odoo import api, fields, models

#: measure -> (label, unit); the value comes from crm.mall.plan._crm_mall_measures
MEASURES = {
    "complaints_count": ("Complaints received", ""),
    "complaints_ack_in_time": ("Complaints acknowledged in time", " %"),
    "complaints_resolve_in_time": ("Complaints resolved in time", " %"),
    "complaints_reopened": ("Complaints reopened", " %"),
    "csat": ("CSAT", " %"),
    "nps": ("NPS", ""),
    "ces": ("Customer effort score (CES)", ""),
    "satisfaction_index": ("Satisfaction index", ""),
    "queue_within_level": ("Visitors called within the service level", " %"),
    "queue_avg_wait": ("Average wait (minutes)", ""),
    "qc_score": ("Average QC inspection score", " %"),
}


class CrmMallPlanGoal(models.Model):
    _name = "crm.mall.plan.goal"
    _inherit = ["crm.mall.plan.line.mixin"]
    _description = "Goal of a CRM plan"
    _order = "plan_id, kind, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("company", "Company goal"), ("customer", "Customer goal")],
        required=True,
        default="customer",
    )
    name = fields.Char(string="Goal", required=True)
    measure = fields.Selection(
        [(key, label) for key, (label, _unit) in MEASURES.items()], required=True
    )
    target = fields.Float(required=True)
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        required=True,
        default="higher",
    )
    touchpoint_ids = fields.Many2many(
        "crm.iso.touchpoint",
        string="Touchpoints watched",
        check_company=True,
        help="The touchpoints whose service this measure watches.",
    )
    actual = fields.Float(compute="_compute_actual", string="Now")
    has_data = fields.Boolean(compute="_compute_actual")
    progress = fields.Float(
        compute="_compute_actual",
        string="Progress %",
        help="How far the value is towards the target (100 = reached).",
    )
    status = fields.Selection(
        [("met", "Met"), ("missed", "Not met"), ("no_data", "No data")],
        compute="_compute_actual",
    )

    @api.depends("measure", "target", "direction", "plan_id")
    def _compute_actual(self):
        values = {plan: plan._crm_mall_measures() for plan in self.plan_id}
        for goal in self:
            value = values.get(goal.plan_id, {}).get(goal.measure)
            goal.has_data = value is not None
            goal.actual = value or 0.0
            goal.status = goal._crm_mall_status(value)
            goal.progress = goal._crm_mall_progress(value)

    def _crm_mall_status(self, value):
        if value is None:
            return "no_data"
        if self.direction == "lower":
            return "met" if value <= self.target else "missed"
        return "met" if value >= self.target else "missed"

    def _crm_mall_progress(self, value):
        """100 when the target is reached; else the share of the way to it
        (higher: value/target; lower: target/value)."""
        if value is None:
            return 0.0
        if self._crm_mall_status(value) == "met":
            return 100.0
        if self.direction == "lower":
            return 100.0 * self.target / value if value else 100.0
        return max(0.0, 100.0 * value / self.target) if self.target else 0.0
