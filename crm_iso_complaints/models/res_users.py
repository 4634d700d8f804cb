# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The deadline digest: one mail per person and cron run, in their language."""

from collections import defaultdict

from odoo import Command, fields, models

from ..tools import jalali


class ResUsers(models.Model):
    _inherit = "res.users"

    def _crm_iso_deadline_digest(self, items):
        """Mail this person the deadline warnings and escalations of one run.

        ``items``: dicts with ``ticket_id``, ``kind`` ("warning" or
        "escalation"), ``deadline`` ("acknowledgement" or "resolution"),
        ``level`` and ``date`` (the activity's due date), as the deadline cron
        gives them (``helpdesk.ticket._crm_iso_deadline_alert``). The mail is rendered
        in the person's language, grouped by company, with a link to each
        complaint that opens it in the backend (or the portal) for them.
        """
        self.ensure_one()
        user = self.sudo().with_context(lang=self.lang or "en_US")
        env = user.env
        tickets = env["helpdesk.ticket"].browse({item["ticket_id"] for item in items})
        tickets = tickets.exists()
        by_company = defaultdict(list)
        for item in items:
            ticket = tickets.browse(item["ticket_id"])
            if ticket not in tickets:
                continue
            deadline = ticket._crm_iso_deadline_label(item["deadline"])
            if item["kind"] == "escalation":
                alert = env._(
                    "escalated to you at level %(level)s: its %(deadline)s "
                    "deadline has passed",
                    level=item["level"],
                    deadline=deadline,
                )
            else:
                alert = env._(
                    "its %(deadline)s deadline is approaching (due %(date)s)",
                    deadline=deadline,
                    date=jalali.format_local(
                        fields.Date.to_date(item["date"]), env.lang
                    ),
                )
            by_company[ticket.company_id].append(
                {
                    "ticket": ticket,
                    "alert": alert,
                    "url": ticket._notify_get_action_link("view"),
                }
            )
        if not by_company:
            return
        sections = sorted(by_company.items(), key=lambda pair: pair[0].name or "")
        body = env["ir.qweb"]._render(
            "crm_iso_complaints.deadline_digest",
            {
                "greeting": env._("Hello %(name)s,", name=user.name),
                "sections": sections,
                "direction": tickets[:1].crm_iso_text_direction(),
            },
        )
        count = sum(len(rows) for rows in by_company.values())
        env["mail.mail"].create(
            {
                "subject": env._(
                    "Complaint deadlines: %(count)s new alert(s)", count=count
                ),
                "body_html": body,
                "email_from": user.company_id.partner_id.email_formatted,
                "recipient_ids": [Command.link(user.partner_id.id)],
                "auto_delete": True,
            }
        )
