# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cockpit, the counter board, the visitor's figures, the check-in screen's
look-up and the public screens run on a read-only cursor (the database replica
when one is configured) and write nothing: through the real HTTP API."""

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import ReadonlyCase

from .common import AGENT, shift_now
from .test_display import DisplayCase
from .test_kiosk_cockpit import KioskCase

PASSWORD = "readonly-pass-1234"
PHONE = "09125556677"
BOARD_SPEC = {"visits_today": {}, "waiting_today": {}, "avg_wait_today": {}}
COCKPIT_SPEC = {
    "period": {},
    "visits": {},
    "complaints_open": {},
    "charts": {},
    "counter_line_ids": {"fields": {"counter_id": {}, "visits": {}}},
}


@tagged("post_install", "-at_install")
class TestReadonlyEntryPoints(ReadonlyCase, KioskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            "ro_mall_manager",
            groups="crm_mall_counter.group_mall_manager",
            password=PASSWORD,
        )
        cls.ro_agent = new_test_user(
            cls.env, "ro_agent", groups=AGENT, password=PASSWORD
        )
        shift_now(cls.ro_agent, cls.counter)
        cls.visit = (
            cls.env["crm.mall.visit"]
            .with_user(cls.ro_agent)
            .checkin(PHONE, name="Read-only Visitor", counter_id=cls.counter.id)
        )
        cls.display = cls.env["crm.mall.display"].create(
            {"name": "Hall", "counter_ids": [(6, 0, cls.counter.ids)]}
        )
        cls.display_token = DisplayCase.new_link(cls.display)

    def setUp(self):
        super().setUp()
        self.authenticate("ro_mall_manager", PASSWORD)

    def test_entry_points_are_marked(self):
        for model, method in (
            ("crm.mall.cockpit", "onchange"),  # opening it, changing its period
            ("crm.mall.counter", "web_search_read"),  # the counter board
            ("res.partner", "web_read"),  # the visitor's figures
            ("crm.mall.checkin", "screen_lookup"),
        ):
            with self.subTest(model=model, method=method):
                self.assertMarkedReadonly(model, method)

    def test_cockpit_opens_readonly(self):
        """A new cockpit (the menu): figures, counter lines and charts are
        computed by the web client's onchange."""
        Cockpit = "crm.mall.cockpit"
        with (
            self.cursor_modes(Cockpit, "onchange") as calls,
            self.cursor_modes(Cockpit, "_figures") as figures,
            self.cursor_modes(Cockpit, "_counter_line_values") as lines,
        ):
            value = self.call_kw(Cockpit, "onchange", [[], {}, [], COCKPIT_SPEC])[
                "value"
            ]
        for recorded in (calls, figures, lines):
            self.assertRanReadonly(recorded)
        expected = self.env[Cockpit].with_user(self.manager).new({"period": "month"})
        self.assertEqual(value["visits"], expected.visits)
        self.assertEqual(value["complaints_open"], expected.complaints_open)
        self.assertTrue(value["charts"])
        mine = [
            command[2]
            for command in value["counter_line_ids"]
            if command[0] == 0 and command[2]["counter_id"] == self.counter.id
        ]
        self.assertEqual([line["visits"] for line in mine], [1])

    def test_counter_board(self):
        with self.cursor_modes("crm.mall.counter", "_compute_board") as calls:
            result = self.call_kw(
                "crm.mall.counter",
                "web_search_read",
                [[("id", "=", self.counter.id)], BOARD_SPEC],
            )
        self.assertRanReadonly(calls)
        self.assertEqual(result["records"][0]["visits_today"], 1)
        self.assertEqual(result["records"][0]["waiting_today"], 1)

    def test_visitor_figures(self):
        partner = self.visit.partner_id
        with self.cursor_modes("res.partner", "_compute_crm_mall_visits") as calls:
            rows = self.call_kw(
                "res.partner",
                "web_read",
                [partner.ids, {"crm_mall_visit_count": {}, "crm_mall_last_visit": {}}],
            )
        self.assertRanReadonly(calls)
        self.assertEqual(rows[0]["crm_mall_visit_count"], 1)

    def test_checkin_screen_lookup(self):
        self.authenticate("ro_agent", PASSWORD)
        Checkin = "crm.mall.checkin"
        with self.cursor_modes(Checkin, "screen_lookup") as calls:
            result = self.call_kw(Checkin, "screen_lookup", [], {"phone": PHONE})
        self.assertRanReadonly(calls)
        self.assertEqual(result["visitor"]["id"], self.visit.partner_id.id)
        self.assertEqual(result["counter_id"], self.counter.id)

    def test_waiting_room_display_page(self):
        self.authenticate(None, None)
        Display = "crm.mall.display"
        with self.cursor_modes(Display, "_crm_mall_recent_calls") as calls:
            page = self.url_open(f"/mall/display/{self.display_token}")
        self.assertEqual(page.status_code, 200)
        self.assertRanReadonly(calls)

    def test_kiosk_page(self):
        self.authenticate(None, None)
        Device = "crm.mall.kiosk.device"
        with self.cursor_modes(Device, "_pending_visit") as calls:
            page = self.url_open(f"/kiosk/{self.token}?language=en")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.nps.title, page.text)
        self.assertRanReadonly(calls)
