# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Quality control, staff competence, CRM plan and competitor review inputs of
the management review (ISO 9001 9.3.2 c, 7.2)."""

from odoo import models

from .crm_mall_plan_goal import MEASURES


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _crm_iso_review_inputs(self, date_from, date_to):
        return (
            super()._crm_iso_review_inputs(date_from, date_to)
            + self._crm_iso_review_qc_inputs(date_from, date_to)
            + self._crm_iso_review_competence_inputs(date_from, date_to)
            + self._crm_iso_review_plan_inputs(date_from, date_to)
            + self._crm_iso_review_competitor_inputs(date_from, date_to)
        )

    def _crm_iso_review_qc_inputs(self, date_from, date_to):
        """The mall's own inspections of the period (submitted or reviewed) and
        their average score; action orders open and overdue now."""
        company = self._crm_iso_company()
        count, score = self.env["crm.mall.qc.inspection"]._read_group(
            [
                ("company_id", "=", company.id),
                ("competitor_id", "=", False),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("state", "!=", "draft"),
            ],
            [],
            ["__count", "score:avg"],
        )[0]
        orders = self._crm_iso_open_actions(company, "qc")
        _ = self.env._
        row = self._crm_iso_row
        return [
            row("qc", "qc.inspections", _("Inspections"), count),
            row("qc", "qc.score", _("Average inspection score"),
                score if count else None, " %"),
            row("qc", "qc.orders_open", _("Action orders open"), len(orders)),
            row("qc", "qc.orders_overdue", _("Action orders overdue"),
                len(orders.filtered("crm_iso_is_overdue"))),
        ]  # fmt: skip

    def _crm_iso_review_competence_inputs(self, date_from, date_to):
        """Shifts of the period and the share staffed by certified people
        (crm.mall.competence._crm_mall_shift_share); people of a role whose
        training is expired or missing today."""
        company = self._crm_iso_company()
        Competence = self.env["crm.mall.competence"]
        shifts, certified = Competence._crm_mall_shift_share(
            self.env["crm.mall.shift"].search(
                [
                    ("company_id", "=", company.id),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ]
            )
        )
        not_valid = Competence.search(
            [
                ("company_id", "=", company.id),
                ("in_role", "=", True),
                ("state", "!=", "valid"),
            ]
        )
        _ = self.env._
        row = self._crm_iso_row
        return [
            row("competence", "competence.shifts", _("Counter shifts"), shifts),
            row("competence", "competence.shifts_certified",
                _("Shifts staffed by certified people"),
                100.0 * certified / shifts if shifts else None, " %", 100.0),
            row("competence", "competence.people_not_valid",
                _("People without a valid training for their role"),
                len(not_valid.user_id), "", 0, True),
        ]  # fmt: skip

    def _crm_iso_review_plan_inputs(self, date_from, date_to):
        """The goals of the approved CRM plans overlapping the period: each
        measure now against its target (crm.mall.plan.goal)."""
        plans = self.env["crm.mall.plan"].search(
            [
                ("company_id", "=", self._crm_iso_company().id),
                ("state", "=", "approved"),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ]
        )
        units = {key: unit for key, (_label, unit) in MEASURES.items()}
        return [
            self._crm_iso_row(
                "plan",
                f"plan.{goal.id}",
                f"{goal.plan_id.name}: {goal.name}",
                goal.actual if goal.has_data else None,
                units[goal.measure],
                goal.target,
                goal.direction == "lower",
            )
            for goal in plans.goal_ids
        ]

    def _crm_iso_review_competitor_inputs(self, date_from, date_to):
        """Benchmark visits of the period, each gap above the company's
        threshold in the period's months (crm.mall.competitor.report: the
        competitor's score minus ours on a criterion) and the competitor
        improvement actions open now."""
        company = self._crm_iso_company()
        visits = self.env["crm.mall.qc.inspection"].search_count(
            [
                ("company_id", "=", company.id),
                ("competitor_id", "!=", False),
                ("state", "in", ("submitted", "approved")),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
        )
        gaps = self.env["crm.mall.competitor.report"].search(
            [
                ("company_id", "=", company.id),
                ("is_gap", "=", True),
                ("period", ">=", date_from.replace(day=1)),
                ("period", "<=", date_to),
            ]
        )
        actions = self._crm_iso_open_actions(company, "competitor")
        _ = self.env._
        row = self._crm_iso_row
        threshold = company.crm_mall_competitor_gap
        return [
            row("competitor", "competitor.visits", _("Benchmark visits"), visits),
            row("competitor", "competitor.gaps",
                _("Gaps above the threshold"), len(gaps), "", 0, True),
            *(
                row("competitor", f"competitor.gap.{gap.id}",
                    _("%(competitor)s ahead on %(criterion)s (%(month)s)",
                      competitor=gap.competitor_id.name,
                      criterion=gap.item_id.name,
                      month=self.crm_iso_format_date(gap.period)),
                    gap.gap, _(" points"), threshold, True)
                for gap in gaps
            ),
            row("competitor", "competitor.actions_open",
                _("Competitor improvement actions open"), len(actions)),
        ]  # fmt: skip
