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
# what a digest job receives of each alert (JSON-safe, for queue_job)
DIGEST_KEYS = ("ticket_id", "kind", "deadline", "level", "date")


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
    complaint_next_escalation_date = fields.Datetime(
        string="Next Escalation Date",
        compute="_compute_complaint_next_escalation",
        store=True,
        index="btree_not_null",
    )
    complaint_escalation_ids = fields.One2many(
        "crm.iso.escalation", "ticket_id", string="Escalation"
    )

    # ------------------------------------------------------------ levels
    @api.depends(
        "complaint_escalation_level",
        "complaint_state",
        "complaint_ack_deadline",
        "complaint_resolve_deadline",
        "complaint_policy_id.escalation_level_ids",
    )
    def _compute_complaint_next_escalation(self):
        """When the next escalation level is due, for the cron to search on."""
        by_calendar = defaultdict(list)
        for ticket in self:
            ticket.complaint_next_escalation_date = False
            level = ticket._crm_iso_next_escalation_level()
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
                        ticket.complaint_received_date,
                        target * level.percent / 100.0
                        + ticket.complaint_paused_work_hours,
                    )
                )
            dates = working_time.add_working_hours(calendar, pairs)
            for (ticket, _level), date in zip(rows, dates, strict=True):
                ticket.complaint_next_escalation_date = date

    def _crm_iso_next_escalation_level(self):
        self.ensure_one()
        return self.complaint_policy_id.escalation_level_ids.filtered(
            lambda lvl: lvl.level == self.complaint_escalation_level + 1
        )[:1]

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_complaint_deadlines(self):
        """Warn before, escalate after each deadline: set-based, flags once.

        The run's warnings and escalations become activities created together,
        and each person is told once, by one digest of their new items
        (:meth:`_crm_iso_deadline_alert`), not by one e-mail per activity.
        """
        now = self._crm_iso_now()
        open_ = Domain("is_complaint", "=", True) & Domain(
            "complaint_state", "not in", formulas.FINAL_STATES
        )
        ack = open_ & Domain("complaint_state", "in", formulas.ACK_PENDING_STATES)
        resolve = open_ & Domain(
            "complaint_state", "not in", formulas.ACK_PENDING_STATES
        )
        running = Domain("complaint_paused_since", "=", False)
        steps = [
            (ack, "complaint_ack_warn_date", "complaint_ack_warned", "acknowledgement"),
            (
                resolve,
                "complaint_resolve_warn_date",
                "complaint_resolve_warned",
                "resolution",
            ),
        ]
        alerts = []
        for domain, date_field, flag, label in steps:
            tickets = self.search(
                domain
                & running
                & Domain(flag, "=", False)
                & Domain(date_field, "<=", now)
            )
            if tickets:
                alerts += tickets._crm_iso_deadline_warnings(label, date_field)
                tickets._crm_iso_write({flag: True})
        due = self.search(
            open_ & running & Domain("complaint_next_escalation_date", "<=", now)
        )
        if due:
            alerts += due._crm_iso_escalate()
        if alerts:
            self._crm_iso_deadline_alert(alerts, now)

    def _crm_iso_deadline_label(self, key):
        """The translated name of a deadline ("acknowledgement", "resolution")."""
        field = self.env["crm.iso.escalation"]._fields["deadline"]
        return dict(field._description_selection(self.env))[key]

    def _crm_iso_escalate(self):
        """Move each complaint to its next level, once: note and log; return
        the alerts (one per complaint) for :meth:`_crm_iso_deadline_alert`.

        Set-based: one create per model and one write per level reached, whatever
        the number of complaints.
        """
        fallback = self.env.ref("base.user_admin", raise_if_not_found=False)
        today = fields.Date.context_today(self)
        alerts, logs, notes = [], [], {}
        by_level = defaultdict(lambda: self.browse())
        for ticket in self:
            level = ticket._crm_iso_next_escalation_level()
            person = level.user_id or ticket.team_id.user_id or fallback
            pending = ticket.complaint_state in formulas.ACK_PENDING_STATES
            label = "acknowledgement" if pending else "resolution"
            summary = self.env._(
                "%(ref)s escalated to level %(level)s (%(what)s deadline): %(who)s",
                ref=ticket.complaint_ref,
                level=level.level,
                what=self._crm_iso_deadline_label(label),
                who=person.name,
            )
            notes[ticket.id] = summary
            alerts.append(
                {
                    "ticket_id": ticket.id,
                    "user_id": person.id,
                    "kind": "escalation",
                    "deadline": label,
                    "level": level.level,
                    "date": today,
                    "summary": summary,
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
        Escalation = self.env["crm.iso.escalation"].sudo()
        with Escalation._crm_iso_unlocked():
            Escalation.create(logs)
        self._crm_iso_log_events(
            "escalation",
            {
                log["ticket_id"]: {k: v for k, v in log.items() if k != "ticket_id"}
                for log in logs
            },
        )
        for level, tickets in by_level.items():
            tickets._crm_iso_write({"complaint_escalation_level": level})
        return alerts

    def _crm_iso_deadline_warnings(self, label, date_field):
        """The alerts telling the responsible (or the team leader) that a
        deadline approaches, for :meth:`_crm_iso_deadline_alert`."""
        fallback = self.env.ref("base.user_admin", raise_if_not_found=False)
        alerts = []
        for ticket in self:
            user = ticket.user_id or ticket.team_id.user_id or fallback
            if not user:
                continue
            alerts.append(
                {
                    "ticket_id": ticket.id,
                    "user_id": user.id,
                    "kind": "warning",
                    "deadline": label,
                    "level": 0,
                    "date": fields.Date.to_date(ticket[date_field]),
                    "summary": self.env._(
                        "%(ref)s: %(what)s deadline approaching",
                        ref=ticket.complaint_ref,
                        what=self._crm_iso_deadline_label(label),
                    ),
                }
            )
        return alerts

    @api.model
    def _crm_iso_deadline_alert(self, alerts, now):
        """One activity per alert, all in one create, then one digest per person.

        mail e-mails the assignee of each new activity (one mail and a render
        each) unless ``mail_activity_quick_update`` is set: this code sets it
        itself, whatever the caller's context, since the digests replace those
        e-mails. Each active person (not OdooBot) gets a digest of their items
        in the companies they belong to, sent through ``crm.iso.job`` (a job
        per person when a job runner serves the database, at once otherwise).
        """
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": alert["ticket_id"],
                    "activity_type_id": todo.id,
                    "summary": alert["summary"],
                    "user_id": alert["user_id"],
                    "date_deadline": alert["date"],
                }
                for alert in alerts
            ]
        )
        company_of = {
            ticket.id: ticket.company_id
            for ticket in self.browse({alert["ticket_id"] for alert in alerts})
        }
        by_user = defaultdict(list)
        for alert in alerts:
            by_user[alert["user_id"]].append(alert)
        stamp = fields.Datetime.to_string(now)
        Job = self.env["crm.iso.job"]
        for user in self.env["res.users"].sudo().browse(by_user):
            items = [
                {key: alert[key] for key in DIGEST_KEYS}
                for alert in by_user[user.id]
                if company_of[alert["ticket_id"]] in user.company_ids
            ]
            if items and user.active:
                Job._crm_iso_delay(
                    user,
                    channel="root.crm_iso.notify",
                    identity_key=f"crm_iso_deadline_digest:{user.id}:{stamp}",
                    description=self.env._(
                        "Complaint deadline digest for %(user)s", user=user.name
                    ),
                )._crm_iso_deadline_digest(items)
