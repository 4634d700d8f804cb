# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No HTTP 500 on a public or portal page (#25, 6).

A table of every public and portal route the three addons add or reach
(``@http.route`` of the addons and of helpdesk_mgmt's controllers, the tracking
link, the kiosk, the waiting-room screen, survey's public pages the suite links
to), and of each of their parameters. Each parameter gets each bad value (wrong
type, unknown or foreign id, out of PostgreSQL's integer range, 100,000
characters, right-to-left text, emoji, markup) while the others keep a good one,
as the public user and as a portal user. Every answer must be a readable page or
a 4xx (a redirect counts as readable), never a 5xx nor a Python traceback.

The routes, by file:
- helpdesk_mgmt controllers/main.py: /ticket/close, /new/ticket, /submitted/ticket
  (the suite overrides the first and the form values of the last);
- helpdesk_mgmt controllers/myaccount.py: /my/tickets, /my/tickets/page/<int>,
  /my/ticket/<int>[/<token>] (the suite guards /my/tickets and serves the
  tracking page of /my/ticket);
- crm_iso_complaints controllers/main.py: /my/complaint/<int>/answer,
  /codes-of-conduct; controllers/tracking.py: /complaint/track/<int>/answer,
  /complaint/track/<int>/dispute;
- crm_mall_counter controllers/kiosk.py: /kiosk/<token>, /kiosk/<token>/submit;
  controllers/display.py: /mall/display/<token>;
- survey (linked from the plans' invitations and the kiosk): /survey/start/<token>,
  /survey/<token>/<answer_token>.
"""

from urllib.parse import urlencode

import requests

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

PASSWORD = "bad-params-1234"
PG_INT_MAX = 2**31 - 1
# http.server reads a request line of at most 64 KiB and closes the connection
# beyond (the 100,000 characters go through the POST routes' bodies)
MAX_REQUEST_LINE = 65_000
# each bad value a client can send; FOREIGN is replaced by a foreign record's id
FOREIGN = object()
BAD = (
    "abc",
    "-1",
    "0",
    "1.5",
    "",
    str(PG_INT_MAX + 1),
    "9" * 40,
    "\u06f1\u06f2",  # Persian digits
    "x" * 8_000,
    "x" * 100_000,
    "\u0634\u06a9\u0627\u06cc\u062a \u0645\u0646 \u200f\u0639\u0631\u0628\u06cc",
    "\U0001f600\U0001f648\U0001f4a5",
    "<script>alert(1)</script>",
    FOREIGN,
)


@tagged("post_install", "-at_install")
class TestNoServerErrorOnPublicPages(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.portal = new_test_user(
            env,
            "bad_params_portal",
            groups="base.group_portal",
            password=PASSWORD,
            email="bad.params@example.com",
        )
        other = env["res.partner"].create({"name": "Someone else"})
        Ticket = env["helpdesk.ticket"]
        cls.own = Ticket.create(
            {
                "name": "My complaint",
                "description": "<p>x</p>",
                "is_complaint": True,
                "partner_id": cls.portal.partner_id.id,
            }
        )
        cls.foreign = Ticket.create(
            {
                "name": "Their complaint",
                "description": "<p>secret</p>",
                "is_complaint": True,
                "partner_id": other.id,
            }
        )
        cls.own._portal_ensure_token()
        cls.foreign._portal_ensure_token()
        cls.stage = env["helpdesk.ticket.stage"].search(
            [("close_from_portal", "=", True)], limit=1
        )
        cls.touchpoint = env.ref("crm_iso_complaints.touchpoint_web")
        counter = env["crm.mall.counter"].create({"name": "Bad", "code": "BAD"})
        cls.device = env["crm.mall.kiosk.device"].create(
            {"name": "Bad kiosk", "counter_id": counter.id}
        )
        cls.device._crm_mall_set_token("bad-params-kiosk")
        cls.display = env["crm.mall.display"].create(
            {"name": "Bad screen", "counter_ids": [(6, 0, counter.ids)]}
        )
        cls.display._crm_mall_set_token("bad-params-screen")
        cls.survey = env["survey.survey"].create(
            {"title": "Bad params survey", "access_mode": "public"}
        )

    def routes(self):
        """(method, path with {slots}, {parameter: good value}) of every route;
        a parameter in braces is a path segment."""
        own, token = self.own.id, self.own.access_token
        return [
            ("GET", "/ticket/close", {"ticket_id": own, "stage_id": self.stage.id}),
            ("GET", "/new/ticket", {"is_complaint": "1"}),
            (
                "POST",
                "/submitted/ticket",
                {
                    "subject": "Bad params",
                    "description": "x",
                    "is_complaint": "1",
                    "touchpoint": self.touchpoint.id,
                    "category": "",
                    "team": "",
                },
            ),
            (
                "GET",
                "/my/tickets",
                {
                    "sortby": "date",
                    "filterby": "all",
                    "groupby": "none",
                    "search_in": "all",
                    "search": "x",
                    "date_begin": "2026-01-01",
                    "date_end": "2026-12-31",
                },
            ),
            ("GET", "/my/tickets/page/{page}", {"page": 1}),
            (
                "GET",
                "/my/ticket/{ticket_id}",
                {"ticket_id": own, "access_token": token},
            ),
            (
                "GET",
                "/my/ticket/{ticket_id}/{token}",
                {"ticket_id": own, "token": token},
            ),
            (
                "POST",
                "/my/complaint/{ticket_id}/answer",
                {"ticket_id": own, "decision": "accept", "reason": "x"},
            ),
            ("GET", "/codes-of-conduct", {"lang": "fa_IR"}),
            (
                "POST",
                "/complaint/track/{ticket_id}/answer",
                {"ticket_id": own, "access_token": token, "decision": "reject"},
            ),
            (
                "POST",
                "/complaint/track/{ticket_id}/dispute",
                {"ticket_id": own, "access_token": token},
            ),
            (
                "GET",
                "/kiosk/{token}",
                {"token": "bad-params-kiosk", "visit": "", "language": "fa"},
            ),
            (
                "POST",
                "/kiosk/{token}/submit",
                {"token": "bad-params-kiosk", "language": "fa", "visit_token": ""},
            ),
            (
                "GET",
                "/mall/display/{token}",
                {"token": "bad-params-screen", "lang": "fa"},
            ),
            (
                "GET",
                "/survey/start/{survey_token}",
                {"survey_token": self.survey.access_token, "answer_token": ""},
            ),
            (
                "GET",
                "/survey/{survey_token}/{answer_token}",
                {"survey_token": self.survey.access_token, "answer_token": "x"},
            ),
        ]

    def request(self, method, path, params):
        slots = {k: v for k, v in params.items() if f"{{{k}}}" in path}
        query = {k: v for k, v in params.items() if k not in slots}
        url = path.format(**{k: str(v) for k, v in slots.items()})
        if method == "GET":
            url = f"{url}?{urlencode(query)}"
        if len(url) > MAX_REQUEST_LINE:
            return None  # the HTTP server drops it before Odoo: nothing to test
        if method == "GET":
            return self.url_open(url, allow_redirects=False)
        data = {**query, "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(url, data=data, allow_redirects=False)

    def assertNoServerError(self, user):
        failures = []
        for method, path, good in self.routes():
            for name in good:
                for value in BAD:
                    value = self.foreign.id if value is FOREIGN else value
                    params = {**good, name: value}
                    try:
                        with mute_logger("odoo.http", "werkzeug"):
                            response = self.request(method, path, params)
                    except requests.ConnectionError:
                        failures.append(f"{user}: {method} {path} {name}: dropped")
                        continue
                    if response is None:
                        continue
                    if response.status_code >= 500 or "Traceback" in response.text:
                        failures.append(
                            f"{user}: {method} {path} {name}={str(value)[:30]!r} "
                            f"-> {response.status_code}"
                        )
        self.maxDiff = None
        self.assertEqual(failures, [])

    def test_as_the_public_user(self):
        self.authenticate(None, None)
        self.assertNoServerError("public")

    def test_as_a_portal_user(self):
        self.authenticate(self.portal.login, PASSWORD)
        self.assertNoServerError("portal")
