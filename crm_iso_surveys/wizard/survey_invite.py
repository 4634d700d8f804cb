# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SurveyInvite(models.TransientModel):
    """Odoo's *Share* wizard of a survey: the email channel of its plan."""

    _inherit = "survey.invite"

    def _crm_iso_plan(self):
        return (
            self.env["crm.iso.measurement.plan"]
            .sudo()
            ._for_survey(self.survey_id.id, self.env.company)
        )

    def _prepare_answers(self, partners, emails):
        """Customers the survey's plan does not invite now get no mail: the
        plan logs them as skipped (cooldown, sampling, sample full). Bare email
        addresses, with no customer behind them, are not counted."""
        plan = self._crm_iso_plan()
        if plan and partners:
            rows = plan._crm_iso_invite(partners, "email")
            partners &= rows.filtered(lambda row: row.state == "sent").partner_id
        return super()._prepare_answers(partners, emails)

    def _get_answers_values(self):
        values = super()._get_answers_values()
        plan = self._crm_iso_plan()
        if plan:
            values.update(crm_iso_plan_id=plan.id, crm_iso_channel="email")
        return values
