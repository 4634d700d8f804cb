# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cockpit's charts: counters side by side by hand, disputes of the period,
bounded queries, and a manager clicking a chart in Chromium (en and fa)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged

from .common import NOW, MallCase, open_visits

MANAGER = "crm_mall_counter.group_mall_manager"


@tagged("post_install", "-at_install")
class TestCockpitCharts(MallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC", lang="en_US"))
        cls.manager = new_test_user(cls.env, "chart_boss", groups=MANAGER)

    def _visit(self, counter):
        return open_visits(
            self.env,
            {"counter_id": counter.id, "partner_id": self.manager.partner_id.id},
        )

    @freeze_time(NOW)
    def test_counters_side_by_side_by_hand(self):
        a_visits = self._visit(self.counter) | self._visit(self.counter)
        b_visit = self._visit(self.other_counter)
        complaint = self.subject(self.checkin(), "complaint")
        Chart = self.env["crm.iso.chart"].with_user(self.manager)
        # subjects count by their creation, stamped by the database's clock
        today = str(self.env.cr.now().date())
        chart = Chart.get_charts(["counters"], "2026-11-01", today)[0]
        a = chart["labels"].index(self.counter.display_name)
        b = chart["labels"].index(self.other_counter.display_name)
        visits, complaints, nps = chart["datasets"]
        self.assertEqual((visits["data"][a], visits["data"][b]), (3, 1))
        self.assertEqual((complaints["data"][a], complaints["data"][b]), (1, 0))
        Visit = self.env["crm.mall.visit"]
        self.assertEqual(
            Visit.search(visits["domains"][a]), a_visits | complaint.visit_id
        )
        self.assertEqual(Visit.search(visits["domains"][b]), b_visit)
        self.assertEqual(
            self.env["crm.mall.subject"].search(complaints["domains"][a]), complaint
        )
        self.assertEqual(nps["axis"], "y1")
        self.assertIsNone(nps["data"][b], "no survey answered about desk B")
        # nothing before the period
        chart = Chart.get_charts(["counters"], "2026-10-01", "2026-10-31")[0]
        self.assertEqual(chart["datasets"][0]["data"][a], 0)

    def test_waiting_time_per_month_by_hand(self):
        """Visitors called through the counter's own transitions: the average
        wait of each month of arrival, the uncalled ones left out."""
        Visit = self.env["crm.mall.visit"]
        for day in ("2026-10-05", "2026-10-06"):
            self.env["crm.mall.shift"].create(
                {
                    "user_id": self.agent.id,
                    "counter_id": self.counter.id,
                    "template_id": self.morning.id,
                    "date": day,
                }
            )
        ours = Visit
        for arrival, minutes in (
            ("2026-10-05 09:00", 4),
            ("2026-10-06 09:00", 10),
            ("2026-11-23 09:00", 7),
        ):
            with freeze_time(arrival):
                visit = self.checkin(phone=f"0935111{minutes:04d}")
            with freeze_time(visit.checkin_date + timedelta(minutes=minutes)):
                visit.with_user(self.agent).action_call()
            ours |= visit
        self.assertEqual(ours.mapped("wait_minutes"), [4.0, 10.0, 7.0])
        with freeze_time(NOW):
            waiting = self.checkin(phone="09351119999")  # not called: no wait yet
        Chart = self.env["crm.iso.chart"].with_user(self.manager)
        chart = Chart.get_charts(["waiting_time"], "2026-10-01", "2026-11-30")[0]
        (dataset,) = chart["datasets"]
        # the demo database has visits of its own: each month's point is the
        # average wait of the visits behind it, the queue's own figure of them
        for month, expected in enumerate((ours[:2], ours[2])):
            behind = Visit.search(dataset["domains"][month])
            self.assertLessEqual(expected, behind)
            self.assertNotIn(waiting, behind)
            self.assertAlmostEqual(
                dataset["data"][month],
                sum(behind.mapped("wait_minutes")) / len(behind),
            )
            (figures,) = Visit._queue_figures(dataset["domains"][month])
            self.assertAlmostEqual(dataset["data"][month], figures["avg_wait"])

    @freeze_time(NOW)
    def test_cockpit_charts_in_bounded_queries(self):
        cockpit = self.env["crm.mall.cockpit"].with_user(self.manager).create({})
        self.assertEqual(
            [chart["name"] for chart in cockpit.charts], cockpit._cockpit_charts()
        )
        self.assertEqual(len(cockpit.charts[0]["labels"]), 12)
        cockpit.invalidate_recordset()
        with self.assertQueryCount(30):
            self.assertTrue(cockpit.charts)
        for _i in range(30):
            self._visit(self.other_counter)
        cockpit.invalidate_recordset()
        self.env.invalidate_all()
        with self.assertQueryCount(30):
            self.assertTrue(cockpit.charts)


@tagged("post_install", "-at_install")
class TestCockpitChartsTour(HttpCase):
    def _manager(self, login, lang):
        counter = self.env["crm.mall.counter"].create(
            {"name": f"Chart desk {lang}", "code": f"CH-{lang}"}
        )
        user = new_test_user(self.env, login, groups=MANAGER, lang=lang)
        open_visits(
            self.env, [{"counter_id": counter.id, "partner_id": user.partner_id.id}] * 3
        )
        return user

    def test_manager_clicks_a_chart_and_lands_on_its_records(self):
        self._manager("chart_manager_en", "en_US")
        self.start_tour(
            "/odoo/mall-cockpit",
            "crm_mall_cockpit_charts_tour",
            login="chart_manager_en",
        )

    def test_persian_manager_gets_the_charts_right_to_left(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self._manager("chart_manager_fa", "fa_IR")
        self.start_tour(
            "/odoo/mall-cockpit",
            "crm_mall_cockpit_charts_rtl_tour",
            login="chart_manager_fa",
        )
