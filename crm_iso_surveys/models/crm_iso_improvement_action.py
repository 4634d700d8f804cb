# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

KPIS = [("csat", "CSAT %"), ("nps", "NPS"), ("ces", "CES"), ("index", "Index")]


class CrmIsoImprovementAction(models.Model):
    """An improvement raised from a KPI or a driver, with the KPI before/after."""

    _name = "crm.iso.improvement.action"
    _description = "Satisfaction improvement action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id desc"

    name = fields.Char(required=True, tracking=True)
    plan_id = fields.Many2one("crm.iso.measurement.plan", required=True, index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    kpi = fields.Selection(KPIS, required=True, default="csat")
    driver_id = fields.Many2one(
        "survey.question",
        string="Driver question",
        domain=[("crm_iso_metric", "!=", False)],
    )
    owner_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, tracking=True
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
        tracking=True,
    )
    kpi_before = fields.Float(readonly=True, help="The plan's KPI when raised.")
    kpi_after = fields.Float(readonly=True, help="The plan's KPI at the review.")

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
            action.kpi_before = action._plan_kpi()
        return actions

    def action_approve(self):
        self.write({"state": "approved"})

    def action_done(self):
        self.write({"state": "done"})

    def action_review(self):
        for action in self:
            action.write({"state": "reviewed", "kpi_after": action._plan_kpi()})
