# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Competitors: other malls and centres the CRM unit visits to benchmark.

A benchmark visit is a QC inspection with a competitor
(``crm.mall.qc.inspection.competitor_id``): it is scored on the same checklist
templates, by the same formula, and reviewed like the mall's own rounds. The
comparison, criterion by criterion and month by month, is
``crm.mall.competitor.report``; a gap above the company's threshold raises an
improvement action (``mgmtsystem.action``, origin "competitor").
"""

from odoo import fields, models


class CrmMallCompetitor(models.Model):
    _name = "crm.mall.competitor"
    _description = "Competitor (mall or centre)"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    address = fields.Char()
    notes = fields.Html()
    image = fields.Image(max_width=1024, max_height=1024)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    visit_ids = fields.One2many(
        "crm.mall.qc.inspection", "competitor_id", string="Benchmark visits"
    )
    visit_count = fields.Integer(compute="_compute_visit_count")
    action_ids = fields.One2many(
        "mgmtsystem.action", "crm_mall_competitor_id", string="Improvement actions"
    )

    _name_company_uniq = models.Constraint(
        "UNIQUE(name, company_id)", "A competitor is entered once per company."
    )

    def _compute_visit_count(self):
        counts = dict(
            self.env["crm.mall.qc.inspection"]._read_group(
                [("competitor_id", "in", self.ids)], ["competitor_id"], ["__count"]
            )
        )
        for competitor in self:
            competitor.visit_count = counts.get(competitor, 0)

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_mall_counter.action_crm_mall_benchmark_visits"
        )
        action["domain"] = [("competitor_id", "=", self.id)]
        action["context"] = {"default_competitor_id": self.id}
        return action

    def action_view_comparison(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_mall_counter.action_crm_mall_competitor_report"
        )
        action["domain"] = [("competitor_id", "=", self.id)]
        return action

    def action_raise_gap_actions(self):
        """An improvement action for each gap of these competitors without one
        (see crm.mall.competitor.report.action_raise_gap_actions)."""
        return (
            self.env["crm.mall.competitor.report"]
            .search([("competitor_id", "in", self.ids), ("is_gap", "=", True)])
            .action_raise_gap_actions()
        )
