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

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

# a search of one's tickets longer than this is no search
SEARCH_LIMIT = 200


class ComplaintTrackingController(CustomerPortalHelpdesk):
    """The token link of a complaint, for visitors who are not logged in."""

    @staticmethod
    def _check_token_shape(access_token):
        """A token is ASCII (a UUID): Odoo compares tokens with ``consteq``,
        which raises TypeError on other text, a 500 on the page (#25)."""
        if access_token is not None and not (
            isinstance(access_token, str)
            and access_token.isascii()
            and len(access_token) <= 200
        ):
            raise NotFound()

    def _tracked_ticket(self, ticket_id, access_token):
        """The ticket the token opens (sudo), or a 404 that never says why."""
        self._check_token_shape(access_token)
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
        self._check_token_shape(access_token)
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
                "can_ask_dispute": not ticket.complaint_dispute_ids
                and not ticket.complaint_dispute_requested_date
                and not ticket._crm_iso_dispute_ineligibility(),
                "complaint_error": kw.get("complaint_error"),
            },
        )

    @http.route()
    def portal_my_tickets(
        self,
        sortby=None,
        groupby=None,
        search_in=None,
        search=None,
        date_begin=None,
        date_end=None,
        **kw,
    ):
        """helpdesk_mgmt's list of one's tickets, which the suite's portal users
        reach, answers a sorting, grouping or search it does not offer, or a
        date it cannot read, with a 500 (KeyError, ValueError): upstream, so the
        suite guards the route. What the list does not offer is the default;
        dates go together, both read or both ignored."""
        if sortby not in self._ticket_get_searchbar_sortings():
            sortby = None
        if groupby not in self._ticket_get_searchbar_groupby():
            groupby = None
        if search_in not in self._ticket_get_searchbar_inputs():
            search_in = None
        if not isinstance(search, str) or len(search) > SEARCH_LIMIT:
            search = None
        try:
            dates = [fields.Datetime.to_datetime(d) for d in (date_begin, date_end)]
        except (TypeError, ValueError):
            dates = [None, None]
        # a year Odoo's own date tools handle (a bare id, "1036", reads as a year)
        if not all(dates) or not all(1900 <= date.year <= 9999 for date in dates):
            date_begin = date_end = None
        return super().portal_my_tickets(
            sortby=sortby,
            groupby=groupby,
            search_in=search_in,
            search=search,
            date_begin=date_begin,
            date_end=date_end,
            **kw,
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
            ticket.sudo()._crm_iso_customer_request_dispute()
        except UserError as error:
            return self._back_to_tracking(ticket_sudo, error)
        return self._back_to_tracking(ticket_sudo)
