# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The complaint KPIs, charts and figures run on a read-only cursor (the
database replica when one is configured) and write nothing: through the real
HTTP API, as the web client calls them (see ReadonlyCase)."""

from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from .common import MANAGER, ReadonlyCase

PASSWORD = "readonly-pass-1234"
CHARTS = ["complaints_trend", "complaints_by_category", "sla_by_team", "disputes"]
PARTNER_SPEC = {
    name: {}
    for name in (
        "complaint_count",
        "open_complaint_count",
        "last_complaint_date",
        "is_repeat_complainant",
    )
}


@tagged("post_install", "-at_install")
class TestReadonlyEntryPoints(ReadonlyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "ro_manager", groups=MANAGER, password=PASSWORD
        )
        cls.customer = cls.env["res.partner"].create({"name": "Read-only customer"})
        cls.complaint = cls.env["helpdesk.ticket"].create(
            {
                "name": "Slow lift",
                "description": "<p>It took ages.</p>",
                "is_complaint": True,
                "partner_id": cls.customer.id,
            }
        )
        cls.complaint._portal_ensure_token()
        cls.period = [
            str(day) for day in cls.env["crm.iso.chart"]._chart_default_period()
        ]

    def setUp(self):
        super().setUp()
        self.authenticate("ro_manager", PASSWORD)

    def as_manager(self, model):
        return self.env[model].with_user(self.manager)

    def test_entry_points_are_marked(self):
        for model, method in (
            ("crm.iso.complaint.report", "get_kpis"),
            ("crm.iso.dispute.report", "median_duration"),
            ("crm.iso.chart", "get_charts"),
            ("crm.iso.chart.board", "onchange"),
            ("res.partner", "web_read"),  # the partner's complaint figures
        ):
            with self.subTest(model=model, method=method):
                self.assertMarkedReadonly(model, method)

    def test_complaint_kpis(self):
        Report = "crm.iso.complaint.report"
        with self.cursor_modes(Report, "get_kpis") as calls:
            rows = self.call_kw(Report, "get_kpis", [], {"groupby": "category_id"})
        self.assertRanReadonly(calls)
        expected = self.as_manager(Report).get_kpis(groupby="category_id")
        self.assertTrue(expected)
        self.assertEqual(
            [(row["key"], row["count"]) for row in rows],
            [(row["key"], row["count"]) for row in expected],
        )

    def test_complaint_kpis_over_the_external_api(self):
        """/json/2 gives the same read-only cursor as the web client's call_kw."""
        Report = "crm.iso.complaint.report"
        with self.cursor_modes(Report, "get_kpis") as calls:
            rows = self.json2(self.manager, Report, "get_kpis")
        self.assertRanReadonly(calls)
        expected = self.as_manager(Report).get_kpis()
        self.assertEqual([row["count"] for row in rows], [expected[0]["count"]])

    def test_dispute_kpis(self):
        Report = "crm.iso.dispute.report"
        with self.cursor_modes(Report, "median_duration") as calls:
            medians = self.call_kw(Report, "median_duration", [])
        self.assertRanReadonly(calls)
        expected = self.as_manager(Report).median_duration()
        self.assertEqual(medians, {str(key): value for key, value in expected.items()})

    def test_charts(self):
        with self.cursor_modes("crm.iso.chart", "get_charts") as calls:
            charts = self.call_kw("crm.iso.chart", "get_charts", [CHARTS, *self.period])
        self.assertRanReadonly(calls)
        self.assertEqual(len(charts), len(CHARTS))

    def test_chart_board_opens_readonly(self):
        """A new board (the menu): the web client's onchange computes it."""
        Board = "crm.iso.chart.board"
        with (
            self.cursor_modes(Board, "onchange") as calls,
            self.cursor_modes(Board, "_compute_charts") as computed,
        ):
            result = self.call_kw(
                Board, "onchange", [[], {}, [], {"board": {}, "charts": {}}]
            )
        self.assertRanReadonly(calls)
        self.assertRanReadonly(computed)
        self.assertEqual(len(result["value"]["charts"]), len(CHARTS))

    def test_partner_figures(self):
        with self.cursor_modes("res.partner", "_compute_complaint_stats") as calls:
            rows = self.call_kw(
                "res.partner", "web_read", [self.customer.ids, PARTNER_SPEC]
            )
        self.assertRanReadonly(calls)
        self.assertEqual(rows[0]["complaint_count"], 1)
        self.assertEqual(rows[0]["open_complaint_count"], 1)

    def test_tracking_page_of_a_visitor(self):
        """The token link, opened by a visitor who is not logged in."""
        self.authenticate(None, None)
        path = f"/my/ticket/{self.complaint.id}/{self.complaint.access_token}"
        Ticket = "helpdesk.ticket"
        with self.cursor_modes(Ticket, "crm_iso_complainant_lang") as calls:
            page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.complaint.complaint_ref, page.text)
        self.assertRanReadonly(calls)
        # the route's read-only test looks the ticket up: any id is a 404
        for ticket_id in (0, 2**31, 10**15):
            with self.subTest(ticket_id=ticket_id):
                page = self.url_open(f"/my/ticket/{ticket_id}/forged")
                self.assertEqual(page.status_code, 404)

    def test_a_write_is_caught(self):
        """The proof can fail: a method marked read-only that writes fails on
        the read-only cursor, and Odoo serves the request again read/write."""
        Report = "crm.iso.complaint.report"
        original = type(self.env[Report]).get_kpis

        def writing(records, *args, **kwargs):
            records.env["res.partner"].sudo().create({"name": "Written"})
            records.env.flush_all()
            return original(records, *args, **kwargs)

        writing._readonly = writing._api_model = True
        with (
            patch.object(type(self.env[Report]), "get_kpis", writing),
            self.assertLogs("odoo.http", "WARNING") as logs,
            self.cursor_modes(Report, "get_kpis") as calls,
        ):
            self.call_kw(Report, "get_kpis", [])
        self.assertEqual(calls, [(True, "on"), (False, "off")])
        self.assertIn("retrying with a read/write cursor", logs.output[0])
