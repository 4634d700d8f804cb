# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Waiting-room screens: token, revocation, the page, the bus channel, and the
live update in Chromium when a number is called."""

import json
import time
from contextlib import contextmanager
from unittest.mock import MagicMock, patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser, JsonRpcException, _registry_test_lock
from odoo.tools import mute_logger

from odoo.addons.bus.models.bus import channel_with_db, dispatch, hashable, json_dump

from ..models.crm_mall_display import CHANNEL_PREFIX
from .common import MallCase, shift_now

SUPERVISOR = "crm_mall_counter.group_counter_supervisor"


class DisplayCase(MallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Display = cls.env["crm.mall.display"]
        cls.display = Display.create(
            {"name": "Hall A", "counter_ids": [(6, 0, cls.counter.ids)]}
        )
        cls.display_b = Display.create(
            {
                "name": "Hall B",
                "counter_ids": [(6, 0, cls.other_counter.ids)],
                "lang": "en_US",
            }
        )
        cls.display_both = Display.create(
            {
                "name": "Main hall",
                "counter_ids": [(6, 0, (cls.counter | cls.other_counter).ids)],
            }
        )
        cls.token = cls.new_link(cls.display)
        cls.token_b = cls.new_link(cls.display_b)
        cls.token_both = cls.new_link(cls.display_both)
        cls.visitor = cls.env["res.partner"].create({"name": "Visitor"})

    @staticmethod
    def new_link(display):
        """A new token of the screen, read from the URL its wizard shows once."""
        action = display.action_new_token()
        return action["context"]["default_display_url"].rsplit("/mall/display/", 1)[1]

    def called(self, number, counter=None, when=None):
        """A visit whose number was called (as the queue's call will do it)."""
        Visit = self.env["crm.mall.visit"].sudo()
        counter = counter or self.counter
        with Visit._crm_iso_unlocked():
            return Visit.create(
                {
                    "counter_id": counter.id,
                    "company_id": counter.company_id.id,
                    "partner_id": self.visitor.id,
                    "queue_number": number,
                    "call_time": fields.Datetime.now() if when is None else when,
                    "state": "waiting" if when is False else "called",
                }
            )

    def sent(self, announce):
        """The bus notifications ``announce()`` sends: {channel: [payload]}."""
        Bus = self.env["bus.bus"].sudo()
        self.env.cr.precommit.run()  # what was sent before
        last = Bus._bus_last_id()
        announce()
        self.env.cr.precommit.run()  # creates the bus.bus rows
        notifications = {}
        for row in Bus.search([("id", ">", last)], order="id"):
            notifications.setdefault(row.channel, []).append(json.loads(row.message))
        return notifications

    def channel(self, display):
        return json_dump(
            channel_with_db(self.env.cr.dbname, display.sudo()._crm_mall_channel())
        )


@tagged("post_install", "-at_install")
class TestDisplayModel(DisplayCase):
    def test_announce_reaches_the_screens_of_the_counter_only(self):
        first = self.called("A-001")
        other = self.called("B-001", counter=self.other_counter)
        revoked = self.env["crm.mall.display"].create(
            {"name": "Old screen", "counter_ids": [(6, 0, self.counter.ids)]}
        )
        self.new_link(revoked)
        revoked.action_revoke()
        Display = self.env["crm.mall.display"]

        def announce():
            # one search for the screens of all the counters, whatever their number
            with self.assertQueryCount(__system__=6):
                Display._crm_mall_announce(first | other)

        sent = self.sent(announce)
        self.assertEqual(
            set(sent),
            {
                self.channel(d)
                for d in (self.display, self.display_b, self.display_both)
            },
            "one notification per screen showing a called counter, none if revoked",
        )

        def numbers(display):
            [message] = sent[self.channel(display)]
            self.assertEqual(message["type"], "crm_mall_display/called")
            return [call["number"] for call in message["payload"]["calls"]]

        self.assertEqual(numbers(self.display), ["A-001"])
        self.assertEqual(numbers(self.display_b), ["B-001"])
        self.assertCountEqual(numbers(self.display_both), ["A-001", "B-001"])
        call = sent[self.channel(self.display_b)][0]["payload"]["calls"][0]
        self.assertEqual(
            (call["counter_id"], call["counter_code"], call["counter_name"]),
            (self.other_counter.id, "T-B", "Desk B"),
        )
        self.assertRegex(call["time"], r"^\d\d:\d\d$")

    def test_demo_screen_opens_with_its_known_link(self):
        demo = self.env.ref("crm_mall_counter.display_waiting_room")
        Display = self.env["crm.mall.display"]
        self.assertEqual(Display._from_token("demo-waiting-room"), demo)
        self.assertEqual(len(demo.counter_ids), 2)

    def test_nothing_to_announce(self):
        Display = self.env["crm.mall.display"]
        unnumbered = self.called(False)
        self.assertEqual(self.sent(lambda: Display._crm_mall_announce(unnumbered)), {})
        visits = self.env["crm.mall.visit"]
        self.assertEqual(self.sent(lambda: Display._crm_mall_announce(visits)), {})

    def test_channel_only_for_a_valid_token(self):
        """The bus gives a screen's channel to its current token only; the
        requested string itself is never subscribed to."""

        def channels(*requested):
            ws_request = MagicMock()
            ws_request.session.uid = None
            with patch("odoo.addons.bus.models.ir_websocket.wsrequest", new=ws_request):
                public = self.env.ref("base.public_user")
                return (
                    self.env["ir.websocket"]
                    .with_user(public)
                    ._build_bus_channel_list(list(requested))
                )

        asked = CHANNEL_PREFIX + self.token
        got = channels(asked, CHANNEL_PREFIX + "made-up", CHANNEL_PREFIX)
        self.assertIn(self.display.sudo()._crm_mall_channel(), got)
        self.assertFalse(
            [c for c in got if isinstance(c, str) and c.startswith(CHANNEL_PREFIX)]
        )
        self.assertFalse([c for c in got if isinstance(c, tuple)][1:], "one screen")
        old_channel = self.display.sudo()._crm_mall_channel()
        # a new link: the screen open with the old one is told, the old token
        # opens nothing, the old channel gets no number
        tokens = []
        sent = self.sent(lambda: tokens.append(self.new_link(self.display)))
        old = json_dump(channel_with_db(self.env.cr.dbname, old_channel))
        self.assertEqual([m["type"] for m in sent[old]], ["crm_mall_display/revoked"])
        new_token = tokens[0]
        self.assertFalse([c for c in channels(asked) if isinstance(c, tuple)])
        self.assertIn(
            self.display.sudo()._crm_mall_channel(),
            channels(CHANNEL_PREFIX + new_token),
        )
        sent = self.sent(
            lambda: self.env["crm.mall.display"]._crm_mall_announce(
                self.called("A-002")
            )
        )
        self.assertNotIn(old, sent)
        self.assertIn(self.channel(self.display), sent)
        # revoked: the open screen is told, the token opens nothing any more
        sent = self.sent(self.display.action_revoke)
        self.assertEqual(
            [m["type"] for m in sent[self.channel(self.display)]],
            ["crm_mall_display/revoked"],
        )
        self.assertFalse(
            [c for c in channels(CHANNEL_PREFIX + new_token) if isinstance(c, tuple)]
        )

    def test_token_is_shown_once_and_only_its_hash_kept(self):
        action = self.display.action_new_token()
        url = action["context"]["default_display_url"]
        token = url.rsplit("/", 1)[1]
        self.assertNotIn(token, self.display.sudo().token_hash)
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"display_url": url})
        )
        self.assertFalse(wizard.display_url, "the plaintext URL is never stored")
        self.assertEqual(wizard.display_id, self.display)
        opened = self.display.action_open_screen()
        self.assertEqual(opened["type"], "ir.actions.act_url")
        self.assertIn("/mall/display/", opened["url"])
        self.assertFalse(
            self.env["crm.mall.display"]._from_token(token), "replaced by the open"
        )
        with self.assertRaisesRegex(UserError, "New screen link"):
            self.display.write({"token_hash": "forged"})
        with self.assertRaisesRegex(UserError, "Revoke"):
            self.display.write({"revoked": False})

    def test_who_manages_screens(self):
        supervisor = new_test_user(self.env, "d_supervisor", groups=SUPERVISOR)
        self.counter.supervisor_ids = supervisor
        mine = self.display.with_user(supervisor)
        self.assertTrue(self.new_link(mine))
        with self.assertRaises(AccessError):
            self.display_b.with_user(supervisor).action_new_token()
        with self.assertRaises(AccessError):
            self.display.with_user(self.agent).action_revoke()
        with self.assertRaises(AccessError):
            self.env["crm.mall.display"].with_user(self.agent).search([])
        # a screen shows counters of its own company only
        other_company = self.env["res.company"].create({"name": "Other mall"})
        with self.assertRaises(UserError):
            self.env["crm.mall.display"].create(
                {
                    "name": "Foreign",
                    "company_id": other_company.id,
                    "counter_ids": [(6, 0, self.counter.ids)],
                }
            )


@tagged("post_install", "-at_install")
class TestDisplayPage(HttpCase, DisplayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(["crm_mall_counter"], ["fa_IR"])
        cls.display.lang = "fa_IR"
        # the agent is on shift at the counter now, to call the numbers live
        shift_now(cls.agent, cls.counter, hours=3)

    def test_page_lists_today_calls_newest_first(self):
        self.called("A-007")
        self.called("B-003", counter=self.other_counter)
        page = self.url_open(f"/mall/display/{self.token_b}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('dir="ltr"', page.text)
        self.assertIn("B-003", page.text)
        self.assertNotIn("A-007", page.text, "another counter's number")
        self.assertIn("Desk B", page.text)
        # Persian: the screen's language, right to left, Persian digits
        page = self.url_open(f"/mall/display/{self.token}")
        self.assertIn('dir="rtl"', page.text)
        self.assertIn("A-۰۰۷", page.text)
        self.assertIn("باجه", page.text)
        english = self.url_open(f"/mall/display/{self.token}?lang=en")
        self.assertIn("A-007", english.text)
        self.assertIn("Called at", english.text)

    def test_refused_tokens(self):
        self.called("A-009")
        for token in ("made-up", "x" * 500, "%00"):
            page = self.url_open(f"/mall/display/{token}?lang=en")
            self.assertEqual(page.status_code, 404, token)
            self.assertIn("not valid", page.text)
        self.display.action_revoke()
        page = self.url_open(f"/mall/display/{self.token}?lang=en")
        self.assertEqual(page.status_code, 403)
        self.assertIn("revoked", page.text)
        self.assertNotIn("A-009", page.text, "nothing shown")
        self.assertNotIn('o_crm_mall_display"', page.text, "no live screen")
        persian = self.url_open(f"/mall/display/{self.token}?lang=fa")
        self.assertEqual(persian.status_code, 403)
        self.assertIn('dir="rtl"', persian.text)
        # an archived screen opens nothing either
        self.display_b.action_archive()
        self.assertEqual(
            self.url_open(f"/mall/display/{self.token_b}").status_code, 404
        )

    def test_rpc_cannot_forge_or_read_the_token(self):
        """Through the web client's RPC, a supervisor manages the screens of
        their counters only and can neither forge nor read the token."""
        supervisor = new_test_user(self.env, "d_sup_rpc", groups=SUPERVISOR)
        self.counter.supervisor_ids = supervisor
        self.authenticate("d_sup_rpc", "d_sup_rpc")
        hashes = {d: d.sudo().token_hash for d in (self.display, self.display_b)}

        def call(method, *args):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "crm.mall.display",
                    "method": method,
                    "args": list(args),
                    "kwargs": {},
                },
            )

        self.assertCountEqual(
            call("search", []),
            (self.display | self.display_both).ids,
            "the screens showing their counter",
        )
        refused = (
            ("write", ([self.display.id], {"token_hash": "0" * 64}), "UserError"),
            ("write", ([self.display.id], {"revoked": True}), "UserError"),
            ("read", ([self.display.id], ["token_hash"]), "AccessError"),
            ("action_new_token", ([self.display_b.id],), "AccessError"),
            ("action_revoke", ([self.display_b.id],), "AccessError"),
            ("action_open_screen", ([self.display_b.id],), "AccessError"),
        )
        for method, args, error in refused:
            with self.subTest(method=method, args=args), mute_logger("odoo.http"):
                with self.assertRaises(JsonRpcException) as caught:
                    call(method, *args)
                self.assertEqual(caught.exception.args[0], f"odoo.exceptions.{error}")
        self.env.invalidate_all()  # re-read what the requests left
        for display, token_hash in hashes.items():
            self.assertEqual(display.sudo().token_hash, token_hash, "unchanged")
            self.assertFalse(display.revoked)
        self.assertEqual(
            call("action_open_screen", [self.display.id])["type"],
            "ir.actions.act_url",
        )

    @contextmanager
    def call_when_listening(self, display, visits):
        """Once the page is ready, wait until the server has subscribed its
        websocket to the screen's channel (through the token), then the agent
        on shift calls the next number (``visits``) from this test thread."""
        original = ChromeBrowser._wait_ready
        channel = hashable(
            channel_with_db(self.env.cr.dbname, display.sudo()._crm_mall_channel())
        )
        test = self

        def wait_ready(browser, *args, **kwargs):
            ready = original(browser, *args, **kwargs)
            deadline = time.time() + 30
            while ready and channel not in dispatch._channels_to_ws:
                if time.time() > deadline:
                    test.fail("the screen never listened on its channel")
                time.sleep(0.1)
            with _registry_test_lock:  # no request may use the cursor meanwhile
                # the agent on shift calls the next number, as at the counter
                test.counter.with_user(test.agent).action_call_next()
                test.assertEqual(visits.state, "called")
            return ready

        with patch.object(ChromeBrowser, "_wait_ready", wait_ready):
            yield

    def _browser_sees(self, url, display, visit, shown):
        code = f"""
            const deadline = Date.now() + 30000;
            (function check() {{
                const row = document.querySelector(
                    '#display_calls tr.o_newest[data-visit="{visit.id}"] .number');
                const now = document.querySelector('#display_now .number');
                const text = row && row.textContent;
                if (text === {json.dumps(shown)} && now.textContent === text) {{
                    console.log('test successful');
                }} else if (Date.now() > deadline) {{
                    console.error('number not shown: ' + text);
                }} else {{
                    setTimeout(check, 100);
                }}
            }})();
        """
        ready = (
            "document.querySelector('.o_crm_mall_display')?.dataset.listening === '1'"
        )
        with self.call_when_listening(display, visit):
            self.browser_js(url, code, ready=ready, timeout=90)

    def test_screen_updates_live_in_chromium(self):
        """An anonymous Chromium on the screen's page sees the number called
        appear on top without a reload, in English and in Persian."""
        self.called("A-001")
        # numbered, not called yet: the page does not list it before the call
        visit = self.called("A-023", when=False)
        self._browser_sees(
            f"/mall/display/{self.token}?lang=en", self.display, visit, "A-023"
        )
        visit = self.called("A-024", when=False)
        self._browser_sees(f"/mall/display/{self.token}", self.display, visit, "A-۰۲۴")
