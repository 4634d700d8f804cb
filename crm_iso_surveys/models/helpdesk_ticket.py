# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"
    _crm_iso_protected = {
        "crm_iso_survey_requested": _lt(
            "the post-resolution survey records it when it is decided"
        ),
    }

    # the idempotency stamp of the post-resolution survey job: the moment of
    # the closing whose survey was decided (sent or skipped)
    crm_iso_survey_requested = fields.Datetime(
        string="Post-resolution survey decided for", readonly=True, copy=False
    )

    def _complaint_transition(self, target, values=None):
        result = super()._complaint_transition(target, values)
        if target == "closed":
            self._crm_iso_send_post_resolution_survey()
        return result

    def _crm_iso_send_post_resolution_survey(self):
        """Survey the complainants of these closed complaints, as one job.

        Complaints closed together are one job (channel root.crm_iso.survey),
        so that a complainant closing several of them at once is surveyed once.
        """
        complaints = self.filtered("partner_id")
        if not complaints:
            return
        ids = ",".join(str(i) for i in sorted(complaints.ids))
        self.env["crm.iso.job"]._crm_iso_delay(
            complaints,
            channel="root.crm_iso.survey",
            identity_key=f"crm_iso_surveys.post_resolution:{ids}",
            description=self.env._(
                "Post-resolution survey of %(count)s closed complaint(s)",
                count=len(complaints),
            ),
        )._crm_iso_post_resolution_survey(fields.Datetime.now())

    def _crm_iso_post_resolution_survey(self, requested_at):
        """Job: closed loop (ISO 10004), survey the complainant about the resolution.

        The plan decides who is invited (survey fatigue: cooldown, sampling,
        sample size) and logs the others as skipped; a complainant closing
        several complaints at once is surveyed once. With an email the
        invitation is mailed; without one the response is queued for the
        counter kiosk (channel "kiosk", state "new").

        Idempotent: the complaints' rows are locked, then a complaint whose
        ``crm_iso_survey_requested`` stamp is at or after ``requested_at`` (a run
        before a crash, a concurrent node) is left out.
        """
        self.env.cr.execute(
            SQL(
                "SELECT id FROM helpdesk_ticket WHERE id IN %s FOR NO KEY UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["crm_iso_survey_requested"])
        todo = self.filtered(
            lambda c: (
                not c.crm_iso_survey_requested
                or c.crm_iso_survey_requested < requested_at
            )
        )
        Plan = self.env["crm.iso.measurement.plan"].sudo()
        invite = self.env.ref("survey.mail_template_user_input_invite")
        by_plan = defaultdict(lambda: self.browse())
        for complaint in todo:
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
                    crm_iso_touchpoint_id=complaint.crm_iso_touchpoint_id.id,
                    crm_iso_team_id=complaint.team_id.id,
                    crm_iso_channel="email" if has_email else "kiosk",
                )
                if has_email:
                    response.message_post_with_source(
                        invite, subtype_xmlid="mail.mt_comment", message_type="comment"
                    )
        todo._crm_iso_write({"crm_iso_survey_requested": requested_at})
