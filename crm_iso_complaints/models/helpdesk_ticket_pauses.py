# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""Pauses: the clocks stand still while waiting for the complainant.

A pause is a row of ``crm.iso.complaint.pause``; resuming moves every deadline
by the working time the pause took (``complaint_paused_work_hours`` enters the deadline
computation of ``helpdesk_ticket_clocks.py``).
"""

from collections import defaultdict

from odoo import fields, models
from odoo.tools.translate import LazyTranslate

from ..tools import formulas, working_time

_lt = LazyTranslate(__name__)


class HelpdeskTicketPauses(models.Model):
    """Pausing and resuming the clocks of a complaint."""

    _inherit = "helpdesk.ticket"
    _crm_iso_protected = dict.fromkeys(
        (
            "complaint_paused_since",
            "complaint_paused_work_hours",
            "complaint_update_paused_hours",
            "complaint_pause_ids",
        ),
        _lt("use Pause and Resume"),
    )
    # pauses: the clocks stand still while waiting for the complainant
    complaint_paused_since = fields.Datetime(
        string="Paused Since", readonly=True, copy=False, index="btree_not_null"
    )
    complaint_paused_work_hours = fields.Float(
        string="Working hours paused", readonly=True, copy=False
    )
    complaint_update_paused_hours = fields.Float(
        string="Update Paused Hours", readonly=True, copy=False
    )
    complaint_pause_ids = fields.One2many(
        "crm.iso.complaint.pause", "ticket_id", string="Pause"
    )

    # ------------------------------------------------------------ pause and resume
    def action_request_information(self):
        """Ask the complainant for information; the clocks wait for the answer."""
        self._notify_complainant(
            "crm_iso_complaints.mail_template_complaint_information_request"
        )
        self._crm_iso_pause_clocks(
            self.env._("Waiting for information from the complainant")
        )
        return True

    def action_pause(self):
        return self._crm_iso_reason_wizard("pause")

    def _crm_iso_pause_with_reason(self, reason):
        self._check_crm_iso_reason(reason)
        self._crm_iso_pause_clocks(reason)
        self.message_post(
            body=self.env._("Clocks paused: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _crm_iso_pause_clocks(self, reason):
        now = fields.Datetime.now()
        running = self.filtered(
            lambda t: (
                t.is_complaint
                and not t.complaint_paused_since
                and t.complaint_state not in formulas.FINAL_STATES
            )
        )
        running._crm_iso_write({"complaint_paused_since": now})
        Pause = self.env["crm.iso.complaint.pause"].sudo()
        with Pause._crm_iso_unlocked():
            Pause.create(
                [{"ticket_id": t.id, "start": now, "reason": reason} for t in running]
            )
        running._crm_iso_log_events("pause", common={"reason": reason})

    def action_resume(self):
        self._crm_iso_resume_clocks()
        return True

    def _crm_iso_resume_clocks(self):
        """Restart the clocks: deadlines move by the working time the pause took."""
        now = fields.Datetime.now()
        paused_tickets = self.filtered("complaint_paused_since")
        if not paused_tickets:
            return
        by_calendar = defaultdict(lambda: self.browse())
        for ticket in paused_tickets:
            by_calendar[ticket.complaint_policy_id.calendar_id] |= ticket
        paused = {}  # ticket id -> working hours the pause took
        for calendar, tickets in by_calendar.items():
            hours = (
                working_time.working_hours_between(
                    calendar, [(t.complaint_paused_since, now) for t in tickets]
                )
                if calendar
                else [0.0] * len(tickets)
            )
            paused.update(zip(tickets.ids, hours, strict=True))
        Pause = self.env["crm.iso.complaint.pause"].sudo()
        open_pauses = Pause.search(
            [("ticket_id", "in", paused_tickets.ids), ("stop", "=", False)]
        )
        open_pauses._crm_iso_write_grouped(
            {
                pause.id: {"stop": now, "work_hours": paused[pause.ticket_id.id]}
                for pause in open_pauses
            }
        )
        paused_tickets._crm_iso_write_grouped(
            {
                ticket.id: {
                    "complaint_paused_since": False,
                    "complaint_paused_work_hours": (
                        ticket.complaint_paused_work_hours + paused[ticket.id]
                    ),
                    "complaint_update_paused_hours": (
                        ticket.complaint_update_paused_hours + paused[ticket.id]
                    ),
                }
                for ticket in paused_tickets
            }
        )
        paused_tickets._crm_iso_log_events(
            "resume",
            {tid: {"work_hours_paused": hours} for tid, hours in paused.items()},
        )
