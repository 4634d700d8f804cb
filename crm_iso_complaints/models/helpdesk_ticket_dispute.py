# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""External dispute resolution (ISO 10003) once the internal handling is over."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import formulas

_lt = LazyTranslate(__name__)


class HelpdeskTicketDispute(models.Model):
    """The disputes of a complaint."""

    _inherit = "helpdesk.ticket"
    _crm_iso_protected = {
        "complaint_dispute_ids": _lt("use Open a dispute"),
        "complaint_dispute_requested_date": _lt(
            "the complainant asks from the tracking page"
        ),
    }
    complaint_dispute_ids = fields.One2many(
        "crm.iso.dispute", "complaint_id", string="Dispute"
    )
    complaint_dispute_requested_date = fields.Datetime(
        string="Dispute resolution asked on",
        readonly=True,
        copy=False,
        help="When the complainant asked for external dispute resolution from "
        "the tracking page; a dispute officer then opens the case.",
    )

    # ------------------------------------------------------------ dispute
    def _crm_iso_dispute_ineligibility(self):
        """Why the complaint cannot go to external dispute resolution, or False.

        ISO 10003: only once internal handling is finished. The rule is the
        company's setting: the complainant rejected the decision, or (by
        default) also the resolution deadline passed without a resolution.
        """
        self.ensure_one()
        if not self.is_complaint:
            return self.env._("Only complaints go to dispute resolution.")
        if (
            self.complaint_decision_date
            and self.complaint_customer_decision == "rejected"
        ):
            return False
        rule = self.company_id.crm_iso_dr_eligibility
        if (
            rule == "rejected_or_overdue"
            and self.complaint_state not in formulas.FINAL_STATES
            and self.complaint_resolve_deadline
            and self.complaint_resolve_deadline < self._crm_iso_now()
        ):
            return False
        return self.env._(
            "The internal handling of %(ref)s is not finished: the complainant has "
            "not rejected a communicated decision%(overdue)s.",
            ref=self.complaint_ref,
            overdue=self.env._(" and its resolution deadline has not passed")
            if rule == "rejected_or_overdue"
            else "",
        )

    def _crm_iso_customer_request_dispute(self):
        """The complainant asks for external dispute resolution (tracking page).

        Only when the complaint is eligible and not asked for yet: the request
        is stamped, noted, and put on the complaint handler's to-do list.
        """
        self.ensure_one()
        reason = self._crm_iso_dispute_ineligibility()
        if reason:
            raise UserError(reason)
        if self.complaint_dispute_requested_date or self.complaint_dispute_ids:
            raise UserError(
                self.env._(
                    "Dispute resolution of %(ref)s has already been asked for.",
                    ref=self.complaint_ref,
                )
            )
        self._crm_iso_write({"complaint_dispute_requested_date": self._crm_iso_now()})
        self._crm_iso_log_events("dispute_request")
        note = self.env._(
            "The complainant asks for external dispute resolution of %(ref)s.",
            ref=self.complaint_ref,
        )
        self.message_post(body=note, subtype_xmlid="mail.mt_note")
        handler = self.user_id or self.team_id.user_id
        if handler:
            self.activity_schedule(
                "mail.mail_activity_data_todo", note=note, user_id=handler.id
            )
        return True

    def action_open_dispute(self):
        self.ensure_one()
        reason = self._crm_iso_dispute_ineligibility()
        if reason:
            raise UserError(reason)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_disputes"
        )
        action.update(
            {
                "views": [(False, "form")],
                "res_id": self.complaint_dispute_ids[:1].id,
                "context": {"default_complaint_id": self.id},
            }
        )
        return action
