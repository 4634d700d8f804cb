# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Quality control inputs of the management review (ISO 9001 9.3.2 c)."""

from odoo import models


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _crm_iso_review_inputs(self, date_from, date_to):
        return super()._crm_iso_review_inputs(
            date_from, date_to
        ) + self._crm_iso_review_qc_inputs(date_from, date_to)

    def _crm_iso_review_qc_inputs(self, date_from, date_to):
        """Inspections of the period (submitted or reviewed) and their average
        score; action orders open and overdue now."""
        company = self._crm_iso_company()
        count, score = self.env["crm.mall.qc.inspection"]._read_group(
            [
                ("company_id", "=", company.id),
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
