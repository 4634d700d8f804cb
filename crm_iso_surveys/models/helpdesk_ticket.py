# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _complaint_transition(self, target, values=None):
        result = super()._complaint_transition(target, values)
        if target == "closed":
            self._crm_iso_send_post_resolution_survey()
        return result

    def _crm_iso_send_post_resolution_survey(self):
        """Closed loop (ISO 10004): survey the complainant about the resolution.

        The plan decides who is invited (survey fatigue: cooldown, sampling,
        sample size) and logs the others as skipped; a complainant closing
        several complaints at once is surveyed once. With an email the
        invitation is mailed; without one the response is queued for the
        counter kiosk (channel "kiosk", state "new").
        """
        Plan = self.env["crm.iso.measurement.plan"].sudo()
        invite = self.env.ref("survey.mail_template_user_input_invite")
        by_plan = defaultdict(lambda: self.browse())
        for complaint in self.filtered("partner_id"):
            plan = Plan._for_complaint(complaint)
            if plan.survey_ids:
                by_plan[plan] |= complaint
        for plan, complaints in by_plan.items():
            rows = plan._crm_iso_invite(complaints.partner_id, "post_resolution")
            invited = rows.filtered(lambda row: row.state == "sent").partner_id
            survey = plan.survey_ids[:1]
            for partner in invited:
                complaint = complaints.filtered(lambda c, p=partner: c.partner_id == p)[
                    :1
                ]
                has_email = bool(partner.email)
                response = survey.sudo()._create_answer(
                    partner=partner,
                    check_attempts=False,
                    crm_iso_plan_id=plan.id,
                    crm_iso_complaint_id=complaint.id,
                    crm_iso_touchpoint_id=complaint.touchpoint_id.id,
                    crm_iso_team_id=complaint.team_id.id,
                    crm_iso_channel="email" if has_email else "kiosk",
                )
                if has_email:
                    response.message_post_with_source(
                        invite, subtype_xmlid="mail.mt_comment", message_type="comment"
                    )
