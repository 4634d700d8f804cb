# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from urllib.parse import quote

from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController

# the largest id PostgreSQL's integer columns hold
PG_INT_MAX = 2**31 - 1
_ID = re.compile(r"[0-9]{1,10}", re.ASCII)
# the portal form's record choices (helpdesk_mgmt reads them with int())
FORM_IDS = ("category", "team", "touchpoint")


def form_id(value):
    """The record id a form or a link sends: ASCII digits PostgreSQL can hold,
    else None. helpdesk_mgmt's routes call ``int()`` on what they get: "abc",
    "1.5", Persian digits or 40 digits were a 500 (#25); the routes below
    answer them with a 404 or a 400."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and _ID.fullmatch(value) and 0 < int(value) <= PG_INT_MAX:
        return int(value)
    return None


class ComplaintPortalController(HelpdeskTicketController):
    """Complaints in the customer portal.

    Every route looks the complaint up *as the portal user* (record rules apply),
    and only then writes through ``sudo()``: a foreign id is a 404.
    """

    def _own_ticket(self, ticket_id):
        ticket_id = form_id(ticket_id)
        if not ticket_id:
            raise NotFound()
        ticket = request.env["helpdesk.ticket"].search([("id", "=", ticket_id)])
        if not ticket:
            raise NotFound()
        return ticket

    @http.route("/ticket/close", type="http", auth="user")
    def support_ticket_close(self, **kw):
        """Closing from the portal: only one's own ticket, never a complaint.
        Every ``*_id`` parameter is an id, else a 404 (helpdesk_mgmt would
        ``int()`` it)."""
        if any(form_id(v) is None for k, v in kw.items() if k.endswith("_id")):
            raise NotFound()
        ticket = self._own_ticket(kw.get("ticket_id"))
        if ticket.is_complaint:
            return request.redirect(f"/my/ticket/{ticket.id}")
        return super().support_ticket_close(**kw)

    def _prepare_submit_ticket_vals(self, **kw):
        for key in FORM_IDS:
            if kw.get(key) and not form_id(kw[key]):
                raise BadRequest(
                    request.env._("The form sent an invalid %(field)s.", field=key)
                )
        vals = super()._prepare_submit_ticket_vals(**kw)
        if kw.get("is_complaint"):
            vals["is_complaint"] = True
            touchpoint = request.env["crm.iso.touchpoint"].search(
                [("id", "=", form_id(kw.get("touchpoint")) or 0)]
            )
            vals["crm_iso_touchpoint_id"] = touchpoint.id
            vals.pop("stage_id", None)
        return vals

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        values["touchpoints"] = request.env["crm.iso.touchpoint"].search([])
        return values

    @http.route(
        "/my/complaint/<int:ticket_id>/answer",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def complaint_answer(self, ticket_id, decision=None, reason=None, **kw):
        """The complainant accepts or rejects the proposed response."""
        ticket = self._own_ticket(ticket_id)
        if not ticket.is_complaint or decision not in ("accept", "reject"):
            raise NotFound()
        try:
            ticket.sudo()._crm_iso_complainant_answer(
                decision, reason, author=request.env.user.partner_id
            )
        except UserError as error:
            return request.redirect(
                f"/my/ticket/{ticket.id}?complaint_error={quote(error.args[0])}"
            )
        return request.redirect(f"/my/ticket/{ticket.id}")

    @http.route("/codes-of-conduct", type="http", auth="public", website=True)
    def codes_of_conduct(self, **kw):
        """The published codes of conduct of the current company (ISO 10001)."""
        codes = (
            request.env["crm.iso.conduct.code"]
            .sudo()
            .search(
                [
                    ("published", "=", True),
                    ("company_id", "=", request.env.company.id),
                ]
            )
        )
        return request.render(
            "crm_iso_complaints.codes_of_conduct_page", {"codes": codes}
        )
