# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""Warnings before a deadline, escalation after it: what the cron does.

The policy's escalation levels (``crm.iso.escalation.level``) say who is
alerted at which share of the deadline; each escalation is logged in
``crm.iso.escalation`` for the team reports.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from ..tools import formulas, working_time

_lt = LazyTranslate(__name__)


class HelpdeskTicketEscalation(models.Model):
    """Deadline warnings and escalation levels of a complaint."""

    _inherit = "helpdesk.ticket"
    _crm_iso_protected = dict.fromkeys(
        ("complaint_escalation_level", "complaint_escalation_ids"),
        _lt("the deadline cron escalates"),
    )
    # escalation (levels of the policy)
    complaint_escalation_level = fields.Integer(
        string="Escalation Level", readonly=True, copy=False
    )
    next_escalation_date = fields.Datetime(
        compute="_compute_next_escalation", store=True, index="btree_not_null"
    )
    complaint_escalation_ids = fields.One2many(
        "crm.iso.escalation", "ticket_id", string="Escalation"
    )

    # ------------------------------------------------------------ levels
    @api.depends(
        "complaint_escalation_level",
        "complaint_state",
        "ack_deadline",
        "resolve_deadline",
        "complaint_policy_id.escalation_level_ids",
    )
    def _compute_next_escalation(self):
        """When the next escalation level is due, for the cron to search on."""
        by_calendar = defaultdict(list)
        for ticket in self:
            ticket.next_escalation_date = False
            level = ticket._next_escalation_level()
            if level and ticket.complaint_state not in formulas.FINAL_STATES:
                by_calendar[ticket.complaint_policy_id.calendar_id].append(
                    (ticket, level)
                )
        for calendar, rows in by_calendar.items():
            pairs = []
            for ticket, level in rows:
                targets = ticket.complaint_policy_id._targets(ticket.priority)
                pending = ticket.complaint_state in formulas.ACK_PENDING_STATES
                target = targets["ack_hours" if pending else "resolve_hours"]
                pairs.append(
                    (
                        ticket.received_date,
                        target * level.percent / 100.0 + ticket.paused_work_hours,
                    )
                )
            dates = working_time.add_working_hours(calendar, pairs)
            for (ticket, _level), date in zip(rows, dates, strict=True):
                ticket.next_escalation_date = date

    def _next_escalation_level(self):
        self.ensure_one()
        return self.complaint_policy_id.escalation_level_ids.filtered(
            lambda lvl: lvl.level == self.complaint_escalation_level + 1
        )[:1]

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_complaint_deadlines(self):
        """Warn before, escalate after each deadline: set-based, flags once."""
        now = self._now()
        open_ = Domain("is_complaint", "=", True) & Domain(
            "complaint_state", "not in", formulas.FINAL_STATES
        )
        ack = open_ & Domain("complaint_state", "in", formulas.ACK_PENDING_STATES)
        resolve = open_ & Domain(
            "complaint_state", "not in", formulas.ACK_PENDING_STATES
        )
        running = Domain("paused_since", "=", False)
        steps = [
            (ack, "ack_warn_date", "ack_warned", "acknowledgement"),
            (resolve, "resolve_warn_date", "resolve_warned", "resolution"),
        ]
        for domain, date_field, flag, label in steps:
            tickets = self.search(
                domain
                & running
                & Domain(flag, "=", False)
                & Domain(date_field, "<=", now)
            )
            if tickets:
                tickets._schedule_deadline_activities("warn", label, date_field)
                tickets._crm_iso_write({flag: True})
        due = self.search(open_ & running & Domain("next_escalation_date", "<=", now))
        if due:
            due._escalate()

    def _deadline_label(self, key):
        """The translated name of a deadline ("acknowledgement", "resolution")."""
        field = self.env["crm.iso.escalation"]._fields["deadline"]
        return dict(field._description_selection(self.env))[key]

    def _escalate(self):
        """Alert the next level of each complaint, once: activity, note, log.

        Set-based: one create per model and one write per level reached, whatever
        the number of complaints.
        """
        fallback = self.env.ref("base.user_admin", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities, logs, notes = [], [], {}
        by_level = defaultdict(lambda: self.browse())
        for ticket in self:
            level = ticket._next_escalation_level()
            person = level.user_id or ticket.team_id.user_id or fallback
            pending = ticket.complaint_state in formulas.ACK_PENDING_STATES
            label = "acknowledgement" if pending else "resolution"
            summary = self.env._(
                "%(ref)s escalated to level %(level)s (%(what)s deadline): %(who)s",
                ref=ticket.complaint_ref,
                level=level.level,
                what=self._deadline_label(label),
                who=person.name,
            )
            notes[ticket.id] = summary
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": todo.id,
                    "summary": summary,
                    "user_id": person.id,
                    "date_deadline": fields.Date.context_today(self),
                }
            )
            logs.append(
                {
                    "ticket_id": ticket.id,
                    "team_id": ticket.team_id.id,
                    "company_id": ticket.company_id.id,
                    "level": level.level,
                    "user_id": person.id,
                    "deadline": label,
                }
            )
            by_level[level.level] |= ticket
        self._message_log_batch(notes)
        self.env["mail.activity"].sudo().create(activities)
        Escalation = self.env["crm.iso.escalation"].sudo()
        with Escalation._crm_iso_unlocked():
            Escalation.create(logs)
        self._log_events(
            "escalation",
            {
                log["ticket_id"]: {k: v for k, v in log.items() if k != "ticket_id"}
                for log in logs
            },
        )
        for level, tickets in by_level.items():
            tickets._crm_iso_write({"complaint_escalation_level": level})

    def _schedule_deadline_activities(self, kind, label, date_field):
        """Warn the responsible (or the team leader) that a deadline approaches."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        fallback = self.env.ref("base.user_admin", raise_if_not_found=False)
        vals_list = []
        for ticket in self:
            user = ticket.user_id or ticket.team_id.user_id or fallback
            if not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._(
                        "%(ref)s: %(what)s deadline approaching",
                        ref=ticket.complaint_ref,
                        what=self._deadline_label(label),
                    ),
                    "user_id": user.id,
                    "date_deadline": fields.Date.to_date(ticket[date_field]),
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)
