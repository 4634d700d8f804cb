# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import http
from odoo.http import request

from ..models.crm_mall_display import CHANNEL_PREFIX, RECENT_CALLS
from ..models.crm_mall_token_mixin import hash_token
from . import screen_language
from .screen_language import LANGUAGE_NAMES, LANGUAGES


class DisplayController(http.Controller):
    """Waiting-room screens: the numbers called, authenticated by the screen's
    token; updated live through the bus (see static/src/display).

    The page only reads: the screen comes from its secret token, nothing from
    the request is trusted, an unknown or revoked token gets a readable page.
    """

    def _values(self, language, **values):
        return {
            "language": language,
            "rtl": language == "fa",
            "digits": screen_language.digits(language),
            "html_data": {
                "lang": language,
                "dir": "rtl" if language == "fa" else "ltr",
            },
            **values,
        }

    @http.route(
        "/mall/display/<string:token>",
        type="http",
        auth="public",
        website=False,
        readonly=True,
    )
    def display(self, token, lang=None, **kw):
        Display = request.env["crm.mall.display"]
        display = Display._from_token(token)
        if not display:
            return self._refused(token, lang)
        language = screen_language.choose(lang, display.lang)
        counters = display.counter_ids.with_context(lang=LANGUAGES[language])
        return request.render(
            "crm_mall_counter.display_page",
            self._values(
                language,
                display=display.with_context(lang=LANGUAGES[language]),
                calls=display._crm_mall_recent_calls(LANGUAGES[language]),
                channel=f"{CHANNEL_PREFIX}{token}",
                counters_json=json.dumps(
                    {c.id: {"name": c.name, "code": c.code} for c in counters}
                ),
                max_rows=RECENT_CALLS,
                languages=[
                    (code, name, f"/mall/display/{token}?lang={code}")
                    for code, name in LANGUAGE_NAMES
                ],
            ),
        )

    def _refused(self, token, lang):
        """An unknown or replaced token (404), a revoked screen (403)."""
        revoked = (
            isinstance(token, str)
            and len(token) <= 200
            and bool(
                request.env["crm.mall.display"]
                .sudo()
                .with_context(active_test=False)
                .search_count(
                    [("token_hash", "=", hash_token(token)), ("revoked", "=", True)],
                    limit=1,
                )
            )
        )
        language = screen_language.choose(lang, request.env.lang)
        return request.render(
            "crm_mall_counter.display_refused",
            self._values(language, revoked=revoked),
            status=403 if revoked else 404,
        )
