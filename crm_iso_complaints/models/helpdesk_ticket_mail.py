# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""Mail and threading: what the complainant receives, what their replies do.

Each state that the complainant must hear about has its mail template; an
update to them restarts the update clock; their reply resumes paused clocks
and, after closing, reopens the complaint within the company's window or
starts a new one linked to it.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import fields, models
from odoo.tools.translate import LazyTranslate

from ..tools import clock, jalali

_lt = LazyTranslate(__name__)
# mail template sent to the complainant when the complaint enters a state
STATE_TEMPLATES = {
    "acknowledged": "crm_iso_complaints.mail_template_complaint_acknowledgement",
    "response": "crm_iso_complaints.mail_template_complaint_decision",
    "closed": "crm_iso_complaints.mail_template_complaint_closure",
}


class HelpdeskTicketMail(models.Model):
    """Mails to the complainant, their replies, reopening."""

    _inherit = "helpdesk.ticket"
    _crm_iso_protected = {
        "parent_complaint_id": _lt("a late reply of the complainant links it"),
    }
    parent_complaint_id = fields.Many2one(
        "helpdesk.ticket",
        check_company=True,
        string="Follows complaint",
        readonly=True,
        help="A complainant's reply after the reopening window starts a new "
        "complaint linked to the old one.",
    )

    # --------------------------------------------------------- mails to the complainant
    def _crm_iso_send_state_template(self, state):
        xmlid = STATE_TEMPLATES.get(state)
        if xmlid:
            self._notify_complainant(xmlid)
        if state == "acknowledged":
            self._crm_iso_send_tracking_sms()

    def _notify_complainant(self, template_xmlid):
        """Mail the template to complainants with an email; log it for the others."""
        template = self.env.ref(template_xmlid)
        with_email = self.filtered(lambda t: t.partner_id.email or t.partner_email)
        for ticket in with_email:
            ticket.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        for ticket in self - with_email:
            ticket.message_post(
                body=self.env._(
                    "%(template)s not sent: the complainant has no email address. "
                    "Inform them by another channel.",
                    template=template.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _crm_iso_tz(self):
        """The complaint's time zone (``clock.record_tz``): its company's; the
        mall counter addon puts a counter's complaints in the counter's."""
        self.ensure_one()
        return clock.company_tz(self.company_id or self.env.company)

    def crm_iso_format_date(self, value, lang=None):
        """A time of the complaint for a reader (receipt, tracking page, mails,
        PDFs): in the complaint's own zone whoever prints it, Jalali with
        Persian digits in Persian."""
        self.ensure_one()
        return jalali.format_local(
            value, lang or self.partner_id.lang or self.env.lang, self._crm_iso_tz()
        )

    def crm_iso_text_direction(self):
        """'rtl' or 'ltr': how the language a text is rendered in is written.

        Mail templates render in the recipient's language (``env.lang``), so a
        Persian message reads right to left in the mail client too.
        """
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return lang.direction or "ltr"

    # ------------------------------------------------------------ creation message
    def _crm_iso_message_post_creation_batch(self):
        """The "Ticket created" message of each new ticket, as mail's ``create``
        posts it, for the whole batch.

        Mirrors ``mail.thread.create`` (its creation log: ``message_post`` as
        superuser, with ``_creation_subtype``, authored by the current user)
        and, for the tickets whose message notifies no one, ``message_post``
        itself. Pinned by ``TestMessagePins`` (tests/test_upstream_pins.py),
        which creates the same tickets one by one through mail's ``create``
        and compares messages, tracking values, followers and notifications.

        ``message_post`` runs several queries per record. Here the tickets
        whose followers include someone to notify of that subtype (the author
        aside) still go through ``message_post``, which notifies them; the
        others get the values ``message_post`` gives (mail's own batch helpers
        compute author, alias domain, company and reply-to), one
        ``mail.message`` create, and ``message_post``'s after-hook each.
        """
        subtype = self._creation_subtype()
        threads = self.sudo()._fallback_lang()
        author_id, email_from = threads._message_compute_author(
            self.env.user.partner_id.id
        )

        def body(thread):
            # summary="o_mail_notification" hides the body in the chatter, as mail does
            return (
                Markup('<div summary="o_mail_notification"><p>%s</p></div>')
                % thread._creation_message()
            )

        recipients = self.env["mail.followers"]._get_recipient_data(
            threads, "notification", subtype.id
        )
        notified = threads.filtered(
            lambda thread: set(recipients.get(thread.id, {})) - {author_id}
        )
        for thread in notified:
            thread.message_post(
                subtype_id=subtype.id, author_id=author_id, body=body(thread)
            )
        quiet = threads - notified
        if not quiet:
            return
        company = self.env.company
        alias_domains = quiet._mail_get_alias_domains(default_company=company)
        companies = quiet._mail_get_companies(default=company)
        reply_to = quiet._notify_get_reply_to(default=email_from, author_id=author_id)
        # message_post's values, a new record having no message to reply to
        values_list = [
            {
                "email_add_signature": True,
                "author_id": author_id,
                "author_guest_id": False,
                "email_from": email_from,
                "model": quiet._name,
                "res_id": thread.id,
                "body": body(thread),
                "message_type": "notification",
                "parent_id": False,
                "subject": False,
                "subtype_id": subtype.id,
                "partner_ids": [],
                "incoming_email_to": False,
                "incoming_email_cc": False,
                "outgoing_email_to": False,
                "record_alias_domain_id": alias_domains[thread.id].id,
                "record_company_id": companies[thread.id].id,
                "reply_to": reply_to[thread.id],
                "attachment_ids": [],
            }
            for thread in quiet
        ]
        messages = quiet._message_create(values_list)
        for thread, message, values in zip(quiet, messages, values_list, strict=True):
            thread._message_post_after_hook(message, values)

    # ------------------------------------------------------------ replies and reopening
    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if len(self) == 1 and self.is_complaint:
            self._crm_iso_on_message(message)
        return message

    def _crm_iso_on_message(self, message):
        """Updates to the complainant restart the update clock; their replies
        resume the clocks, and reopen a closed complaint (or start a new one)."""
        now = fields.Datetime.now()
        complainant = self.partner_id
        if message.message_type not in ("email", "comment") or message.is_internal:
            return
        if complainant and message.author_id == complainant:
            self._crm_iso_on_complainant_reply(message)
        elif complainant in message.partner_ids:
            values = {
                "complaint_last_update_date": now,
                "complaint_update_paused_hours": 0.0,
            }
            if not self.complaint_first_response_date:
                values["complaint_first_response_date"] = now
            self._crm_iso_write(values)

    def _crm_iso_on_complainant_reply(self, message):
        if self.complaint_paused_since:
            self._crm_iso_resume_clocks()
        if self.complaint_state != "closed":
            return
        window = self.company_id.crm_iso_reopen_days
        closed = self.complaint_closed_date
        if closed and fields.Datetime.now() - closed <= timedelta(days=window):
            self.sudo()._complaint_transition("reopened")
            self.sudo().message_post(
                body=self.env._("Reopened: the complainant replied."),
                subtype_xmlid="mail.mt_note",
            )
            return
        with self._crm_iso_unlocked():
            follow_up = self.sudo().create(
                {
                    "name": self.name,
                    "description": message.body,
                    "is_complaint": True,
                    "partner_id": self.partner_id.id,
                    "category_id": self.category_id.id,
                    "team_id": self.team_id.id,
                    "channel_id": self.channel_id.id,
                    "crm_iso_touchpoint_id": self.crm_iso_touchpoint_id.id,
                    "company_id": self.company_id.id,
                    "parent_complaint_id": self.id,
                }
            )
        self.sudo().message_post(
            body=self.env._(
                "The complainant replied after the reopening window: new complaint "
                "%(ref)s.",
                ref=follow_up.complaint_ref,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def action_reopen(self):
        return self._crm_iso_reason_wizard("reopen")

    def _crm_iso_reopen_with_reason(self, reason):
        self._check_crm_iso_reason(reason)
        self._complaint_transition("reopened")
        self.message_post(
            body=self.env._("Reopened: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
        )
        return True
