# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SurveyInvite(models.TransientModel):
    """Odoo's *Share* wizard of a survey: the email channel of its plan."""

    _inherit = "survey.invite"

    crm_iso_skipped_count = fields.Integer(
        string="Recipients not invited", readonly=True
    )

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
            sent = rows.filtered(lambda row: row.state == "sent")
            partners &= sent.partner_id
            self.crm_iso_skipped_count = len(rows - sent)
        return super()._prepare_answers(partners, emails)

    def _get_answers_values(self):
        values = super()._get_answers_values()
        plan = self._crm_iso_plan()
        if plan:
            values.update(crm_iso_plan_id=plan.id, crm_iso_channel="email")
        return values

    def action_invite(self):
        """Send, then tell the sender how many recipients the plan skipped."""
        result = super().action_invite()
        if not self.crm_iso_skipped_count:
            return result
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "message": self.env._(
                    "%(count)s recipient(s) not invited: invited recently, not "
                    "drawn in the sample or over the sample of the plan (see its "
                    "survey invitations).",
                    count=self.crm_iso_skipped_count,
                ),
                "next": result,
            },
        }
