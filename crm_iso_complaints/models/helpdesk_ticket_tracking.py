# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""Tracking without an account: the complaint's token link, its receipt, its SMS.

The link is helpdesk_mgmt's portal link (``portal.mixin``: ``access_url`` plus
the record's ``access_token``), made absolute with the company's base url. The
tracking page (controllers/tracking.py) checks the token the way every Odoo
portal page does (``_document_check_access``). Renewing the token makes every
printed or sent link a dead one (404).
"""

import base64
import io
import uuid

import qrcode

from odoo import api, models
from odoo.exceptions import UserError

RECEIPT_REPORT = "crm_iso_complaints.action_report_complaint_receipt"


class HelpdeskTicketTracking(models.Model):
    """The complainant's token link, the counter receipt and the SMS."""

    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------ the link
    # Not callable over RPC (``api.private``): the link creates the complaint's
    # token on first use, and a token reads the complaint without an account.
    # The mail templates, the receipt and the SMS call it on the server; staff
    # get the link by printing the receipt or sending the acknowledgement.
    @api.private
    def crm_iso_tracking_url(self):
        """The absolute token link of the complaint (mail templates, receipt, SMS)."""
        self.ensure_one()
        self._portal_ensure_token()
        return self.get_base_url() + self.get_portal_url()

    @api.private
    def crm_iso_tracking_qr(self):
        """The tracking link as a QR code image (PNG data URI), for the receipt.

        Drawn with the ``qrcode`` library (as Odoo's two-factor setup does):
        the report engine's own QR needs a reportlab backend that is not
        always installed.
        """
        self.ensure_one()
        image = qrcode.make(self.crm_iso_tracking_url(), box_size=8, border=2)
        png = io.BytesIO()
        image.save(png)
        return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()

    def action_renew_tracking_link(self):
        """A new token: the links already sent or printed stop working."""
        if not self.env.user.has_group("crm_iso_complaints.group_complaint_manager"):
            raise UserError(
                self.env._("Only a complaint manager renews a tracking link.")
            )
        for ticket in self:
            ticket.sudo().write({"access_token": str(uuid.uuid4())})
            ticket.message_post(
                body=self.env._(
                    "Tracking link renewed: the previous link no longer works."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ---------------------------------------------------- the complainant's pages
    def _crm_iso_complainant_answer(self, decision, reason=None, author=None):
        """The complainant accepts or rejects the response (portal or tracking page).

        Called through ``sudo()`` by the pages once they checked the access;
        the note is signed by ``author`` (the portal user), else the complainant.
        """
        self.ensure_one()
        if decision == "accept":
            self.action_customer_accept()
            body = self.env._("The complainant accepted the response.")
        else:
            self._crm_iso_customer_reject(reason)
            body = self.env._(
                "The complainant rejected the response: %(reason)s", reason=reason
            )
        self.message_post(
            body=body,
            author_id=(author or self.partner_id).id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    # ------------------------------------------------------------ the receipt
    def action_print_receipt(self):
        """The counter receipt (80 mm): reference, dates and the QR of the link."""
        complaints = self.filtered("is_complaint")
        if not complaints:
            raise UserError(self.env._("Only a complaint has a receipt."))
        return self.env.ref(RECEIPT_REPORT).report_action(complaints)

    def crm_iso_complainant_lang(self):
        """The complainant's language (receipt, tracking page, SMS) when it is
        installed, else the user's."""
        self.ensure_one()
        installed = dict(self.env["res.lang"].get_installed())
        lang = self.partner_id.lang
        return lang if lang in installed else self.env.user.lang or "en_US"

    # ------------------------------------------------------------ the SMS
    def _crm_iso_send_tracking_sms(self):
        """The acknowledgement by SMS, with the tracking link.

        Only where Odoo's ``sms`` module is installed (it adds ``_message_sms``
        to every thread): the suite does not depend on it. Complainants
        without a phone number get no SMS. The SMS is queued, not sent inside
        the transaction (IAP opens its own cursor and the request may be
        retried).
        """
        if not hasattr(self, "_message_sms"):
            return
        for ticket in self.filtered(lambda t: t.partner_id.phone):
            partner = ticket.partner_id
            body = ticket.with_context(lang=ticket.crm_iso_complainant_lang()).env._(
                "We received your complaint %(ref)s. Follow it here: %(url)s",
                ref=ticket.complaint_ref,
                url=ticket.crm_iso_tracking_url(),
            )
            # queued: sent by the SMS cron after the commit, never twice on a retry
            ticket._message_sms(body, partner_ids=partner.ids, put_in_queue=True)
