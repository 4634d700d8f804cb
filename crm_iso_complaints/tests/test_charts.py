# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dashboards' charts: figures by hand, the records behind each point,
company walls, Persian months, bad periods, bounded queries."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase

Q1 = ("2024-01-01", "2024-03-31")  # a quarter no demo record falls in
COMPLAINT_CHARTS = (
    "complaints_trend",
    "complaints_by_category",
    "sla_by_team",
    "disputes",
)


@tagged("post_install", "-at_install")
class TestCharts(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC", lang="en_US"))
        cls.Chart = cls.env["crm.iso.chart"]
        cls.provider = cls.env["crm.iso.dr.provider"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Mediator"}).id,
                "method_ids": [
                    (6, 0, cls.env.ref("crm_iso_complaints.dr_method_mediation").ids)
                ],
            }
        )

    def _complaint(self, received, closed=None, on_time=False, **vals):
        complaint = self.new_complaint(**vals)
        values = {"complaint_received_date": received}
        if closed:
            values.update(
                complaint_closed_date=closed, complaint_resolve_on_time=on_time
            )
        complaint._crm_iso_write(values)
        return complaint

    def _dispute(self, proposed, closed=None):
        complaint = self.responded_complaint()
        complaint.with_user(self.officer)._crm_iso_customer_reject("No")
        case = self.env["crm.iso.dispute"].create(
            {
                "complaint_id": complaint.id,
                "provider_id": self.provider.id,
                "method_id": self.env.ref("crm_iso_complaints.dr_method_mediation").id,
                "proposed_date": proposed,
            }
        )
        if closed:
            case._crm_iso_write({"state": "closed", "closed_date": closed})
        return case

    def _charts(self, names=COMPLAINT_CHARTS, period=Q1, env=None):
        charts = (env or self.env)["crm.iso.chart"].get_charts(names, *period)
        return {chart["name"]: chart for chart in charts}

    def _records(self, dataset, index):
        return self.env[dataset["model"]].search(dataset["domains"][index])

    def test_complaints_per_month_by_hand_and_the_records_behind(self):
        jan_on_time = self._complaint(
            datetime(2024, 1, 10, 9), datetime(2024, 1, 20, 9), on_time=True
        )
        jan_late = self._complaint(
            datetime(2024, 1, 31, 23, 30), datetime(2024, 2, 5, 9), on_time=False
        )
        feb_open = self._complaint(datetime(2024, 2, 1, 0, 10))
        new_year = self._complaint(datetime(2023, 12, 31, 23, 59))  # in Tehran
        trend = self._charts()["complaints_trend"]
        self.assertEqual(trend["labels"], ["Jan 2024", "Feb 2024", "Mar 2024"])
        received, in_time = trend["datasets"]
        self.assertEqual(received["data"], [2, 1, 0])
        self.assertEqual(in_time["data"], [1, 0, 0])
        self.assertEqual(self._records(received, 0), jan_on_time | jan_late)
        self.assertEqual(self._records(received, 1), feb_open)
        self.assertEqual(self._records(in_time, 0), jan_on_time)
        # the months are the reader's: in Tehran (+03:30) 31 Jan 23:30 UTC is
        # already February, 31 Dec 23:59 UTC already January
        tehran = self._charts(
            env=self.env(context=dict(self.env.context, tz="Asia/Tehran"))
        )
        received = tehran["complaints_trend"]["datasets"][0]
        self.assertEqual(received["data"], [2, 2, 0])
        self.assertEqual(self._records(received, 0), jan_on_time | new_year)
        self.assertEqual(self._records(received, 1), jan_late | feb_open)

        category = self._charts()["complaints_by_category"]
        self.assertEqual(category["labels"], [self.category.display_name])
        self.assertEqual(category["datasets"][0]["data"], [3])
        self.assertEqual(
            self._records(category["datasets"][0], 0), jan_on_time | jan_late | feb_open
        )

        sla = self._charts()["sla_by_team"]
        self.assertEqual(sla["labels"], [self.team.display_name])
        self.assertTrue(sla["stacked"])
        on_time, late = sla["datasets"]
        self.assertEqual((on_time["data"], late["data"]), ([1], [1]))
        self.assertEqual(self._records(on_time, 0), jan_on_time)
        self.assertEqual(self._records(late, 0), jan_late)

    def test_disputes_opened_closed_and_open_in_the_month(self):
        before = self._dispute(date(2023, 12, 1), date(2024, 1, 3))
        january = self._dispute(date(2024, 1, 5), date(2024, 2, 10))
        february = self._dispute(date(2024, 2, 20))
        self._dispute(date(2024, 4, 2))  # after the period
        opened, closed, open_period = self._charts()["disputes"]["datasets"]
        self.assertEqual(opened["data"], [1, 1, 0])
        self.assertEqual(closed["data"], [1, 1, 0])
        # open at some time in the month, not only open now
        self.assertEqual(open_period["data"], [2, 2, 1])
        self.assertEqual(self._records(opened, 0), january)
        self.assertEqual(self._records(closed, 0), before)
        self.assertEqual(self._records(closed, 1), january)
        self.assertEqual(self._records(open_period, 0), before | january)
        self.assertEqual(self._records(open_period, 1), january | february)
        self.assertEqual(self._records(open_period, 2), february)

    def test_company_wall(self):
        other = self.env["res.company"].create({"name": "Chart branch"})
        self.env.user.company_ids |= other
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=other.ids))
        foreign = (
            env_b["helpdesk.ticket"]
            .with_company(other)
            .create(
                {
                    "name": "Branch complaint",
                    "description": "<p>x</p>",
                    "is_complaint": True,
                    "partner_id": self.customer.id,
                    "company_id": other.id,
                }
            )
        )
        foreign._crm_iso_write({"complaint_received_date": datetime(2024, 1, 10, 9)})
        mine = self._complaint(datetime(2024, 1, 11, 9))
        main_only = self.env(
            context=dict(self.env.context, allowed_company_ids=self.env.company.ids)
        )
        received = self._charts(env=main_only)["complaints_trend"]["datasets"][0]
        self.assertEqual(received["data"][0], 1)
        self.assertEqual(self._records(received, 0), mine)
        both = self.env(
            context=dict(
                self.env.context, allowed_company_ids=[self.env.company.id, other.id]
            )
        )
        received = self._charts(env=both)["complaints_trend"]["datasets"][0]
        self.assertEqual(received["data"][0], 2)

    def test_persian_reader_gets_jalali_months_in_persian_digits(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        persian = self.env(context=dict(self.env.context, lang="fa_IR"))
        period = persian["crm.iso.chart"]._chart_period("2026-09-01", "2026-10-31")
        self.assertEqual(
            [bucket.label for bucket in period.buckets],
            ["شهریور ۱۴۰۵", "مهر ۱۴۰۵", "آبان ۱۴۰۵"],
        )
        # 1 Mehr 1405 = 23 September 2026, 1 Aban = 23 October
        self.assertEqual(
            [(b.start, b.stop) for b in period.buckets],
            [
                (date(2026, 9, 1), date(2026, 9, 23)),
                (date(2026, 9, 23), date(2026, 10, 23)),
                (date(2026, 10, 23), date(2026, 11, 1)),
            ],
        )

    def test_bad_input_is_refused_readably(self):
        for names, start, end in [
            (COMPLAINT_CHARTS, "2024-03-01", "2024-01-01"),  # reversed
            (COMPLAINT_CHARTS, "last month", "2024-01-01"),
            (COMPLAINT_CHARTS, 42, None),
            (COMPLAINT_CHARTS, "2020-01-01", "2024-01-01"),  # too long
            (["no_such_chart"], *Q1),
            ("complaints_trend", *Q1),
            ([["complaints_trend"]], *Q1),
        ]:
            with self.assertRaises(UserError):
                self.Chart.get_charts(names, start, end)

    def test_a_chart_the_user_may_not_read_is_left_out(self):
        employee = new_test_user(self.env, "chart_employee", groups="base.group_user")
        self.assertFalse(
            self.env["crm.iso.dispute"].with_user(employee).has_access("read")
        )
        for user, expected in [
            (employee, list(COMPLAINT_CHARTS[:3])),
            (self.officer, list(COMPLAINT_CHARTS)),
        ]:
            charts = self.Chart.with_user(user).get_charts(COMPLAINT_CHARTS, *Q1)
            self.assertEqual([chart["name"] for chart in charts], expected)

    def test_queries_do_not_grow_with_the_data(self):
        self._complaint(datetime(2024, 1, 10, 9), datetime(2024, 1, 20, 9), True)
        self._dispute(date(2024, 1, 5))
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            self._charts()
        for day in range(1, 20):
            self._complaint(datetime(2024, 2, day, 9), datetime(2024, 3, day, 9))
        other_category = self.env["helpdesk.ticket.category"].create(
            {"name": "Other chart category"}
        )
        self._complaint(datetime(2024, 3, 1, 9), category_id=other_category.id)
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            self._charts()

    @freeze_time("2026-11-23 10:00:00")
    def test_default_period_is_the_last_twelve_months(self):
        start, end = self.Chart._chart_default_period()
        self.assertEqual((start, end), (date(2025, 12, 1), date(2026, 11, 23)))
        board = self.env["crm.iso.chart.board"].with_user(self.officer).create({})
        self.assertEqual(
            [chart["name"] for chart in board.charts], list(COMPLAINT_CHARTS)
        )
        self.assertEqual(len(board.charts[0]["labels"]), 12)
