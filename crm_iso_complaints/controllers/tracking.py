# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tracking a complaint without an account, from its token link.

The link is the ticket's portal link (``/my/ticket/<id>?access_token=...``);
the token is checked the way every Odoo portal page checks it
(``_document_check_access``). A visitor who is not logged in and holds the
right token sees the complaint's tracking page and nothing else; a wrong,
missing or renewed token is a 404. The two actions of the page (answer the
decision, ask for dispute resolution) check the token the same way and only
then run their one transition through ``sudo()``.
"""

from urllib.parse import quote

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class ComplaintTrackingController(CustomerPortalHelpdesk):
    """The token link of a complaint, for visitors who are not logged in."""

    def _tracked_ticket(self, ticket_id, access_token):
        """The ticket the token opens (sudo), or a 404 that never says why."""
        try:
            return self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise NotFound() from error

    def _tracked_complaint(self, ticket_id, access_token):
        ticket_sudo = self._tracked_ticket(ticket_id, access_token)
        if not ticket_sudo.is_complaint:
            raise NotFound()
        return ticket_sudo

    def _tracking_page_readonly(self, rule, args):
        """Whether the page only reads (a read-only cursor, on the database
        replica when one is configured): the tracking page of a complaint, for a
        visitor who is not logged in. helpdesk's own page, for a logged-in user
        or another ticket, gives attachments an access token: read/write."""
        if request.session.uid:
            return False
        ticket = request.env["helpdesk.ticket"].sudo().browse(args["ticket_id"])
        return bool(ticket.exists().is_complaint)

    @http.route(readonly=_tracking_page_readonly)
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        """Visitors who are not logged in get the tracking page or a 404."""
        if not request.env.user._is_public():
            return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)
        ticket_sudo = self._tracked_ticket(ticket_id, access_token)
        if not ticket_sudo.is_complaint:
            return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)
        lang = ticket_sudo.crm_iso_complainant_lang()
        request.update_context(lang=lang)
        ticket = ticket_sudo.with_context(lang=lang)
        messages = (
            request.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "=", ticket.id),
                    ("message_type", "in", ("comment", "email")),
                    ("is_internal", "=", False),
                    ("subtype_id", "!=", False),
                    ("subtype_id.internal", "=", False),
                ],
                order="date desc, id desc",
            )
        )
        return request.render(
            "crm_iso_complaints.complaint_tracking_page",
            {
                "ticket": ticket,
                "lang": lang,
                "access_token": access_token,
                "messages": messages,
                "can_ask_dispute": not ticket.dispute_ids
                and not ticket.dispute_requested_date
                and not ticket._dispute_ineligibility(),
                "complaint_error": kw.get("complaint_error"),
            },
        )

    def _back_to_tracking(self, ticket_sudo, error=None):
        url = ticket_sudo.get_portal_url()
        if error:
            url += f"&complaint_error={quote(error.args[0])}"
        return request.redirect(url)

    @http.route(
        "/complaint/track/<int:ticket_id>/answer",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def complaint_track_answer(
        self, ticket_id, access_token=None, decision=None, reason=None, **kw
    ):
        """The complainant accepts or rejects the response, from the token link."""
        ticket_sudo = self._tracked_complaint(ticket_id, access_token)
        if decision not in ("accept", "reject"):
            raise NotFound()
        ticket = request.env["helpdesk.ticket"].browse(ticket_sudo.id)
        try:
            ticket.sudo()._crm_iso_complainant_answer(decision, reason)
        except UserError as error:
            return self._back_to_tracking(ticket_sudo, error)
        return self._back_to_tracking(ticket_sudo)

    @http.route(
        "/complaint/track/<int:ticket_id>/dispute",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def complaint_track_dispute(self, ticket_id, access_token=None, **kw):
        """The complainant asks for external dispute resolution, from the token link."""
        ticket_sudo = self._tracked_complaint(ticket_id, access_token)
        ticket = request.env["helpdesk.ticket"].browse(ticket_sudo.id)
        try:
            ticket.sudo()._customer_request_dispute()
        except UserError as error:
            return self._back_to_tracking(ticket_sudo, error)
        return self._back_to_tracking(ticket_sudo)
