# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Satisfaction inputs of the management review (ISO 9001 9.3.2 c, ISO 10004 8)."""

from odoo import models


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _crm_iso_review_inputs(self, date_from, date_to):
        return super()._crm_iso_review_inputs(
            date_from, date_to
        ) + self._crm_iso_review_satisfaction_inputs(date_from, date_to)

    def _crm_iso_review_satisfaction_inputs(self, date_from, date_to):
        """Per measurement plan: responses and the KPIs of ``get_kpis`` against
        the plan's targets."""
        start, end = self._crm_iso_bounds(date_from, date_to)
        company = self._crm_iso_company()
        groups = self.env["crm.iso.satisfaction.report"].get_kpis(
            [
                ("company_id", "=", company.id),
                ("date", ">=", start),
                ("date", "<", end),
            ],
            "plan_id",
        )
        plans = self.env["crm.iso.measurement.plan"].browse(
            [group["key"] for group in groups if group["key"]]
        )
        _ = self.env._
        row = self._crm_iso_row
        rows = []
        for group in groups:
            plan = plans.browse(group["key"]) if group["key"] else plans.browse()
            name = plan.name if plan else _("No measurement plan")
            code = f"satisfaction.{plan.id or 0}"

            def target(field, plan=plan):
                return plan[field] if plan else None

            rows += [
                row("satisfaction", f"{code}.responses",
                    _("%(plan)s: responses", plan=name), group["responses"]),
                row("satisfaction", f"{code}.response_rate",
                    _("%(plan)s: response rate", plan=name),
                    group["response_rate"], " %"),
                row("satisfaction", f"{code}.csat", _("%(plan)s: CSAT", plan=name),
                    group["csat"], " %", target("csat_target")),
                row("satisfaction", f"{code}.nps", _("%(plan)s: NPS", plan=name),
                    group["nps"], "", target("nps_target")),
                row("satisfaction", f"{code}.ces", _("%(plan)s: CES", plan=name),
                    group["ces"], "", target("ces_target"), lower_is_better=True),
                row("satisfaction", f"{code}.index",
                    _("%(plan)s: satisfaction index", plan=name),
                    group["index"], "", target("index_target")),
            ]  # fmt: skip
        return rows

    def _crm_iso_review_action_inputs(self, date_from, date_to):
        return super()._crm_iso_review_action_inputs(date_from, date_to) + [
            self._crm_iso_row(
                "actions",
                "actions.improvement_open",
                self.env._("Open satisfaction improvement actions"),
                len(
                    self._crm_iso_open_actions(self._crm_iso_company(), "satisfaction")
                ),
            )
        ]
