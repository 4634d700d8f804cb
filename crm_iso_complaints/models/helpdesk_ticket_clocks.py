# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""Deadlines and the clocks running against them.

The complaint's policy (``crm.iso.complaint.policy``) gives the targets in
working hours on its calendar; the deadlines are stored so that the cron and
the lists search them. A deadline is the moment when its target plus the
working hours spent paused (``helpdesk_ticket_pauses.py``) have elapsed since
receipt. The working time spent to acknowledge and to resolve is recorded at
those transitions for the KPIs.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from ..tools import formulas, working_time

_lt = LazyTranslate(__name__)
SET_BY_CLOCKS = _lt("the deadlines and clocks are computed by the server")


class HelpdeskTicketClocks(models.Model):
    """Deadlines, clocks and working times of a complaint."""

    _inherit = "helpdesk.ticket"
    _crm_iso_protected = dict.fromkeys(
        (
            "complaint_first_response_date",
            "complaint_last_update_date",
            "complaint_ack_work_hours",
            "complaint_resolve_work_hours",
            "complaint_ack_on_time",
            "complaint_resolve_on_time",
            "complaint_ack_warned",
            "complaint_resolve_warned",
        ),
        SET_BY_CLOCKS,
    )
    complaint_policy_id = fields.Many2one(
        "crm.iso.complaint.policy",
        string="Deadline policy",
        check_company=True,
        compute="_compute_complaint_policy_id",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    complaint_ack_deadline = fields.Datetime(
        string="Acknowledge by",
        compute="_compute_complaint_deadlines",
        store=True,
        index="btree_not_null",
    )
    complaint_resolve_deadline = fields.Datetime(
        string="Resolve by",
        compute="_compute_complaint_deadlines",
        store=True,
        index="btree_not_null",
    )
    complaint_first_response_deadline = fields.Datetime(
        string="First response by",
        compute="_compute_complaint_deadlines",
        store=True,
        index="btree_not_null",
    )
    complaint_first_response_date = fields.Datetime(
        string="First Response Date", readonly=True, copy=False
    )
    complaint_update_deadline = fields.Datetime(
        string="Next update by",
        compute="_compute_complaint_deadlines",
        store=True,
        index="btree_not_null",
        help="The complainant must hear from us every N working hours while open.",
    )
    complaint_last_update_date = fields.Datetime(
        string="Last update to the complainant", readonly=True, copy=False
    )
    complaint_ack_warn_date = fields.Datetime(
        string="Ack Warn Date", compute="_compute_complaint_deadlines", store=True
    )
    complaint_resolve_warn_date = fields.Datetime(
        string="Resolve Warn Date", compute="_compute_complaint_deadlines", store=True
    )
    complaint_ack_work_hours = fields.Float(
        string="Working hours to acknowledge", readonly=True, copy=False
    )
    complaint_resolve_work_hours = fields.Float(
        string="Working hours to resolve", readonly=True, copy=False
    )
    complaint_ack_on_time = fields.Boolean(string="Acknowledged in time", readonly=True)
    complaint_resolve_on_time = fields.Boolean(string="Resolved in time", readonly=True)
    complaint_ack_warned = fields.Boolean(
        string="Ack Warned", readonly=True, copy=False
    )
    complaint_resolve_warned = fields.Boolean(
        string="Resolve Warned", readonly=True, copy=False
    )
    complaint_clock_state = fields.Selection(
        [
            ("running", "In progress"),
            ("paused", "Paused"),
            ("met", "Met"),
            ("breached", "Breached"),
        ],
        string="Clock State",
        compute="_compute_complaint_is_overdue",
        search="_search_complaint_clock_state",
        help="State of the deadline the complaint runs against now.",
    )
    complaint_is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_complaint_is_overdue",
        search="_search_complaint_is_overdue",
    )
    complaint_hours_left = fields.Float(
        string="Working hours left",
        compute="_compute_complaint_is_overdue",
        help="Working hours until the next deadline (negative: overdue).",
    )

    # ------------------------------------------------------------ deadlines
    @api.depends(
        "is_complaint", "category_id", "team_id", "complaint_severity", "company_id"
    )
    def _compute_complaint_policy_id(self):
        complaints = self.filtered("is_complaint")
        (self - complaints).complaint_policy_id = False
        if complaints:
            policies = self.env["crm.iso.complaint.policy"]._match(complaints)
            for ticket in complaints:
                ticket.complaint_policy_id = policies[ticket.id]

    @api.depends(
        "complaint_policy_id",
        "complaint_received_date",
        "priority",
        "complaint_paused_work_hours",
        "complaint_last_update_date",
        "complaint_update_paused_hours",
    )
    def _compute_complaint_deadlines(self):
        """Every deadline of a batch: one calendar load per calendar.

        A deadline is the moment when its target plus the working hours spent
        paused have elapsed since receipt (since the last update for the
        periodic update): a pause moves it by exactly the time it lasted.
        """
        names = (
            "complaint_first_response_deadline",
            "complaint_ack_deadline",
            "complaint_update_deadline",
            "complaint_resolve_deadline",
            "complaint_ack_warn_date",
            "complaint_resolve_warn_date",
        )
        by_calendar = defaultdict(list)
        for ticket in self:
            ticket.update(dict.fromkeys(names, False))
            if ticket.complaint_policy_id and ticket.complaint_received_date:
                by_calendar[ticket.complaint_policy_id.calendar_id].append(ticket)
        for calendar, tickets in by_calendar.items():
            pairs, slots = [], []
            for ticket in tickets:
                targets = ticket.complaint_policy_id._targets(ticket.priority)
                start, paused = (
                    ticket.complaint_received_date,
                    ticket.complaint_paused_work_hours,
                )
                warn = ticket.complaint_policy_id.warn_percent / 100.0
                wanted = {
                    "complaint_first_response_deadline": (
                        start,
                        targets["first_response_hours"]
                        and targets["first_response_hours"] + paused,
                    ),
                    "complaint_ack_deadline": (start, targets["ack_hours"] + paused),
                    "complaint_update_deadline": (
                        ticket.complaint_last_update_date or start,
                        targets["update_hours"]
                        and targets["update_hours"]
                        + ticket.complaint_update_paused_hours,
                    ),
                    "complaint_resolve_deadline": (
                        start,
                        targets["resolve_hours"] + paused,
                    ),
                    "complaint_ack_warn_date": (
                        start,
                        targets["ack_hours"] * warn + paused,
                    ),
                    "complaint_resolve_warn_date": (
                        start,
                        targets["resolve_hours"] * warn + paused,
                    ),
                }
                for name, (moment, hours) in wanted.items():
                    if hours:
                        pairs.append((moment, hours))
                        slots.append((ticket, name))
            dates = working_time.add_working_hours(calendar, pairs)
            for (ticket, name), date in zip(slots, dates, strict=True):
                ticket[name] = date

    def _crm_iso_pending_deadline(self):
        """The deadline the complaint is running against now, if any."""
        self.ensure_one()
        if not self.is_complaint or self.complaint_state in formulas.FINAL_STATES:
            return False
        if self.complaint_state in formulas.ACK_PENDING_STATES:
            return self.complaint_ack_deadline
        return self.complaint_resolve_deadline

    def _crm_iso_record_working_times(self, target, now):
        """Working hours to acknowledge / resolve, stored for the KPIs."""
        field_by_target = {
            "acknowledged": "complaint_ack",
            "closed": "complaint_resolve",
        }
        prefix = field_by_target.get(target)
        if not prefix:
            return
        by_calendar = defaultdict(lambda: self.browse())
        for ticket in self.filtered("complaint_policy_id"):
            by_calendar[ticket.complaint_policy_id.calendar_id] |= ticket
        values = {}
        for calendar, tickets in by_calendar.items():
            hours = working_time.working_hours_between(
                calendar, [(t.complaint_received_date, now) for t in tickets]
            )
            for ticket, elapsed in zip(tickets, hours, strict=True):
                deadline = ticket[f"{prefix}_deadline"]
                values[ticket.id] = {
                    f"{prefix}_work_hours": round(
                        max(elapsed - ticket.complaint_paused_work_hours, 0.0), 2
                    ),
                    f"{prefix}_on_time": bool(deadline and now <= deadline),
                }
        self._crm_iso_write_grouped(values)

    # ------------------------------------------------------------ the clock now
    @api.depends(
        "complaint_state",
        "complaint_ack_deadline",
        "complaint_resolve_deadline",
        "complaint_paused_since",
    )
    def _compute_complaint_is_overdue(self):
        now = self._crm_iso_now()
        by_calendar = defaultdict(list)
        for ticket in self:
            deadline = ticket._crm_iso_pending_deadline()
            ticket.complaint_is_overdue = bool(
                deadline and deadline < now and not ticket.complaint_paused_since
            )
            ticket.complaint_hours_left = 0.0
            ticket.complaint_clock_state = ticket._crm_iso_clock_state(deadline, now)
            if deadline:
                # a paused clock shows the time it had left when it stopped
                by_calendar[ticket.complaint_policy_id.calendar_id].append(
                    (ticket, ticket.complaint_paused_since or now, deadline)
                )
        for calendar, rows in by_calendar.items():
            hours = working_time.working_hours_between(
                calendar, [(moment, deadline) for _t, moment, deadline in rows]
            )
            for (ticket, _m, _d), value in zip(rows, hours, strict=True):
                ticket.complaint_hours_left = value

    def _crm_iso_clock_state(self, deadline, now):
        if not self.is_complaint:
            return False
        if self.complaint_state in formulas.FINAL_STATES:
            return "met" if self.complaint_resolve_on_time else "breached"
        if self.complaint_paused_since:
            return "paused"
        return "breached" if deadline and deadline < now else "running"

    def _search_complaint_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        wanted = (True in value) == (operator == "in")
        overdue = self._crm_iso_overdue_domain(self._crm_iso_now())
        return overdue if wanted else ~overdue

    def _crm_iso_overdue_domain(self, now):
        """Complaints running late now: stored deadlines, no loop over tickets."""
        return (
            Domain("is_complaint", "=", True)
            & Domain("complaint_paused_since", "=", False)
            & (
                (
                    Domain("complaint_state", "in", formulas.ACK_PENDING_STATES)
                    & Domain("complaint_ack_deadline", "<", now)
                )
                | (
                    Domain(
                        "complaint_state",
                        "not in",
                        formulas.ACK_PENDING_STATES + formulas.FINAL_STATES,
                    )
                    & Domain("complaint_resolve_deadline", "<", now)
                )
            )
        )

    def _search_complaint_clock_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        now = self._crm_iso_now()
        open_ = Domain("is_complaint", "=", True) & Domain(
            "complaint_state", "not in", formulas.FINAL_STATES
        )
        closed = Domain("complaint_state", "in", formulas.FINAL_STATES)
        domains = {
            "paused": open_ & Domain("complaint_paused_since", "!=", False),
            "breached": self._crm_iso_overdue_domain(now)
            | (closed & Domain("complaint_resolve_on_time", "=", False)),
            "met": closed & Domain("complaint_resolve_on_time", "=", True),
            "running": open_
            & Domain("complaint_paused_since", "=", False)
            & ~self._crm_iso_overdue_domain(now),
        }
        return Domain.OR(domains[state] for state in value)
