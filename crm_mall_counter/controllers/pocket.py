# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from urllib.parse import quote as url_quote

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.crm_iso_complaints.tools import clock

from ..models.crm_mall_queue_ticket import TICKET_CHANNEL_PREFIX
from ..models.crm_mall_token_mixin import hash_token
from . import screen_language
from .display import DisplayController
from .screen_language import LANGUAGE_NAMES, LANGUAGES

#: the cookie that tells one phone from another (the QR code's device limit)
DEVICE_COOKIE = "crm_mall_device"
#: a day: the device limit counts a day of numbers
DEVICE_COOKIE_AGE = 400 * 24 * 3600


def _form_id(value):
    """A form's id (ASCII or Persian digits) as an int, else None."""
    if not isinstance(value, str):
        return None
    text = value.translate(clock.TO_ASCII).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


class PocketController(http.Controller):
    """A queue in the visitor's pocket: the QR code's page gives a number for
    a service open now (``/queue/<token>``), the number's own link follows it
    live over the bus (``/queue/ticket/<token>``, see static/src/pocket).

    Both pages are opened by a token whose hash alone is stored; an unknown or
    revoked token gets a readable 404 page, bad input a readable message, no
    record is ever chosen by an id of the request without its token.
    """

    # the waiting-room screen's page values, for a phone
    _values = DisplayController._values

    def _phone_language(self, default, lang):
        """The page's language: ``?lang=``, else the phone's own (its
        Accept-Language, Persian or English), else ``default`` (the QR code's)."""
        if lang not in LANGUAGES:
            lang = request.httprequest.accept_languages.best_match(list(LANGUAGES))
        return screen_language.choose(lang, default)

    def _languages(self, path):
        return [(code, name, f"{path}?lang={code}") for code, name in LANGUAGE_NAMES]

    def _not_found(self, lang):
        language = screen_language.choose(lang, request.env.lang)
        return request.render(
            "crm_mall_counter.pocket_not_found", self._values(language), status=404
        )

    def _device(self):
        """(the phone's device id, whether it is new): the cookie, else a new one."""
        device = request.httprequest.cookies.get(DEVICE_COOKIE)
        if isinstance(device, str) and 20 <= len(device) <= 64 and device.isascii():
            return device, False
        return secrets.token_urlsafe(24), True

    # ------------------------------------------------------------ take a number
    def _entrance_page(self, token, entrance, language, error=None, status=200):
        services, counters = entrance._pocket_services()
        lang = LANGUAGES[language]
        return request.render(
            "crm_mall_counter.pocket_entrance",
            self._values(
                language,
                entrance=entrance.with_context(lang=lang),
                services=services.with_context(lang=lang) if counters else [],
                error=error,
                action=f"/queue/{token}/take?lang={language}",
                languages=self._languages(f"/queue/{token}"),
            ),
            status=status,
        )

    @http.route("/queue/<string:token>", type="http", auth="public", readonly=True)
    def entrance(self, token, lang=None, **kw):
        entrance = request.env["crm.mall.queue.entrance"]._from_token(token)
        if not entrance:
            return self._not_found(lang)
        language = self._phone_language(entrance.lang, lang)
        return self._entrance_page(token, entrance, language)

    @http.route(
        "/queue/<string:token>/take", type="http", auth="public", methods=["POST"]
    )
    def take(self, token, lang=None, service=None, phone=None, **kw):
        entrance = request.env["crm.mall.queue.entrance"]._from_token(token)
        if not entrance:
            return self._not_found(lang)
        language = screen_language.choose(lang, entrance.lang)
        device, new_device = self._device()
        phone = phone.strip() if isinstance(phone, str) else ""
        try:
            _ticket, ticket_token = request.env["crm.mall.queue.ticket"]._pocket_take(
                entrance, _form_id(service), phone, hash_token(device)
            )
        except UserError as error:
            request.env.cr.rollback()
            return self._entrance_page(
                token, entrance, language, error=error.args[0], status=400
            )
        response = request.redirect(
            f"/queue/ticket/{url_quote(ticket_token)}?lang={language}", code=303
        )
        if new_device:
            response.set_cookie(
                DEVICE_COOKIE,
                device,
                max_age=DEVICE_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @http.route(
        "/queue/<string:token>/poster", type="http", auth="public", readonly=True
    )
    def poster(self, token, lang=None, **kw):
        """The QR code to print (the staff opens it from the QR code's form)."""
        entrance = request.env["crm.mall.queue.entrance"]._from_token(token)
        if not entrance:
            return self._not_found(lang)
        language = screen_language.choose(lang, entrance.lang)
        url = f"{entrance.get_base_url()}/queue/{token}"
        return request.render(
            "crm_mall_counter.pocket_poster",
            self._values(
                language,
                entrance=entrance,
                url=url,
                qr_src="/report/barcode/?barcode_type=QR&width=600&height=600"
                f"&value={url_quote(url)}",
            ),
        )

    # ------------------------------------------------------------ follow it
    def _ticket(self, token):
        return request.env["crm.mall.queue.ticket"]._from_token(token)

    def _ticket_page(self, token, ticket, lang, error=None, status=200):
        language = self._phone_language(ticket.entrance_id.lang, lang)
        return request.render(
            "crm_mall_counter.pocket_ticket",
            self._values(
                language,
                ticket=ticket,
                state=ticket._pocket_states()[ticket],
                channel=f"{TICKET_CHANNEL_PREFIX}{token}",
                leave_action=f"/queue/ticket/{token}/leave?lang={language}",
                state_url=f"/queue/ticket/{token}/state",
                error=error,
                languages=self._languages(f"/queue/ticket/{token}"),
            ),
            status=status,
        )

    @http.route(
        "/queue/ticket/<string:token>", type="http", auth="public", readonly=True
    )
    def ticket(self, token, lang=None, **kw):
        ticket = self._ticket(token)
        if not ticket:
            return self._not_found(lang)
        return self._ticket_page(token, ticket, lang)

    @http.route(
        "/queue/ticket/<string:token>/state",
        type="http",
        auth="public",
        readonly=True,
    )
    def ticket_state(self, token, **kw):
        """The number's state as JSON (the page's first state, or a poll)."""
        ticket = self._ticket(token)
        if not ticket:
            return request.make_json_response({"error": "not found"}, status=404)
        return request.make_json_response(ticket._pocket_states()[ticket])

    @http.route(
        "/queue/ticket/<string:token>/leave",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def leave(self, token, lang=None, **kw):
        ticket = self._ticket(token)
        if not ticket:
            return self._not_found(lang)
        try:
            ticket._pocket_leave()
        except UserError as error:
            request.env.cr.rollback()
            return self._ticket_page(
                token, ticket, lang, error=error.args[0], status=409
            )
        return request.redirect(
            f"/queue/ticket/{url_quote(token)}?lang={url_quote(lang or '')}", code=303
        )
