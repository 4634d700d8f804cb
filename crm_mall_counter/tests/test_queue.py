# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import calendar_vals

from .common import AGENT, NOW, TODAY, MallCase


def at(hour, minute=0):
    return datetime(2026, 11, 23, hour, minute)


@tagged("post_install", "-at_install")
class TestQueue(MallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.env.ref("crm_mall_counter.queue_service_complaint")
        cls.information = cls.env.ref("crm_mall_counter.queue_service_information")
        cls.phones = iter(f"0912000{i:04d}" for i in range(1, 10000))

    def arrive(self, moment, **kw):
        with freeze_time(moment):
            return self.checkin(next(self.phones), **kw)

    def as_agent(self, records, moment, method, *args, user=None):
        with freeze_time(moment):
            return getattr(records.with_user(user or self.agent), method)(*args)

    # ------------------------------------------------------------ numbers
    def test_numbers_per_service_reset_on_the_counter_local_day(self):
        """Tehran is UTC+3:30: at 20:40 UTC it is already the next day there,
        the series start again; each service has its own series."""
        tehran = self.env["resource.calendar"].create(
            calendar_vals("Tehran", "Asia/Tehran", range(7), 8.0, 16.0)
        )
        counter = self.env["crm.mall.counter"].create(
            {"name": "Night desk", "code": "T-N", "calendar_id": tehran.id}
        )
        night = new_test_user(self.env, "m_night", groups=AGENT)
        self.env["crm.mall.shift"].create(
            {
                "user_id": night.id,
                "counter_id": counter.id,
                "date": TODAY,
                "start": at(18),
                "stop": at(23),
            }
        )
        kw = {"user": night, "counter": counter}
        first = self.arrive(at(20), **kw)
        second = self.arrive(at(20, 5), **kw)
        info = self.arrive(at(20, 6), service_id=self.information.id, **kw)
        after_midnight = self.arrive(at(20, 40), **kw)
        self.assertEqual(first.service_id, self.complaint, "the first service")
        self.assertEqual(
            (first | second | info | after_midnight).mapped("queue_number"),
            ["A-001", "A-002", "B-001", "A-001"],
        )
        self.assertEqual(first.queue_date, TODAY)
        self.assertEqual(after_midnight.queue_date, TODAY + timedelta(days=1))
        # another counter: its own series
        other = self.arrive(at(10), user=self.agent_b, counter=self.other_counter)
        self.assertEqual(other.queue_number, "A-001")

    # ------------------------------------------------------------ calling
    def test_call_next_priority_first_then_oldest(self):
        oldest = self.arrive(at(9))
        younger = self.arrive(at(9, 5))
        elderly = self.arrive(at(9, 10), priority=True)
        self.assertTrue(elderly.priority)
        order = []
        for minute in (11, 12, 13):
            self.as_agent(self.counter, at(9, minute), "action_call_next")
            called = (oldest | younger | elderly).filtered(
                lambda v: v.state == "called"
            )
            order.append(called - self.env["crm.mall.visit"].union(*order))
        self.assertEqual(order, [elderly, oldest, younger])
        self.assertEqual(elderly.call_time, at(9, 11))
        self.assertEqual(elderly.agent_id, self.agent)
        self.assertEqual(elderly.shift_id, self.shift)
        with self.assertRaisesRegex(UserError, "Nobody is waiting"):
            self.as_agent(self.counter, at(9, 14), "action_call_next")

    def test_a_visit_through_its_states(self):
        visit = self.arrive(at(9))
        self.as_agent(visit, at(9, 4), "action_call")
        self.as_agent(visit, at(9, 5), "action_start_service")
        self.as_agent(visit, at(9, 12), "action_served")
        self.assertEqual(visit.state, "served")
        self.assertEqual(
            (visit.call_time, visit.service_start, visit.service_end),
            (at(9, 4), at(9, 5), at(9, 12)),
        )
        self.assertAlmostEqual(visit.wait_minutes, 4.0)
        self.assertAlmostEqual(visit.service_minutes, 7.0)
        self.assertTrue(visit.within_service_level)
        late = self.arrive(at(9))
        self.as_agent(late, at(9, 11), "action_call")
        self.assertFalse(late.within_service_level, "11 minutes > 10")

    def test_transfer_keeps_the_arrival(self):
        visit = self.arrive(at(9))
        self.as_agent(visit, at(9, 5), "action_call")
        new = self.as_agent(visit, at(9, 6), "action_transfer", self.other_counter.id)
        self.assertEqual(visit.state, "transferred")
        self.assertEqual(visit.transferred_to_id, self.other_counter)
        self.assertEqual(new.transferred_from_id, visit)
        self.assertEqual(
            (new.counter_id, new.state, new.checkin_date, new.queue_number),
            (self.other_counter, "waiting", at(9), "A-001"),
        )
        self.assertEqual(new.partner_id, visit.partner_id)
        self.as_agent(
            self.other_counter, at(9, 10), "action_call_next", user=self.agent_b
        )
        self.assertEqual(new.state, "called")
        self.assertAlmostEqual(new.wait_minutes, 10.0)

    # ------------------------------------------------------------ bad input
    def snapshot(self, visit):
        """The visit as stored (re-read from the database)."""
        self.env.invalidate_all()
        fields = ["state", "call_time", "service_start", "service_end", "agent_id"]
        return visit.read(fields)[0]

    def assert_unchanged(self, visit, before):
        self.assertEqual(self.snapshot(visit), before)

    def test_calling_twice_is_refused(self):
        visit = self.arrive(at(9))
        self.as_agent(visit, at(9, 2), "action_call")
        before = self.snapshot(visit)
        with self.assertRaisesRegex(UserError, "already called"):
            self.as_agent(visit, at(9, 3), "action_call")
        self.assert_unchanged(visit, before)
        self.assertEqual(visit.call_time, at(9, 2))

    def test_calling_without_an_open_shift_there_is_refused(self):
        visit = self.arrive(at(9))
        # agent_b was at this counter yesterday: sees its visits, not on shift
        self.env["crm.mall.shift"].create(
            {
                "user_id": self.agent_b.id,
                "counter_id": self.counter.id,
                "date": TODAY - timedelta(days=1),
                "template_id": self.morning.id,
            }
        )
        before = self.snapshot(visit)
        with self.assertRaisesRegex(UserError, "no open shift"):
            self.as_agent(visit, at(9, 2), "action_call", user=self.agent_b)
        with self.assertRaisesRegex(UserError, "no open shift"):
            self.as_agent(self.counter, at(9, 2), "action_call_next", user=self.agent_b)
        # the agent of the counter after the shift ended
        with self.assertRaisesRegex(UserError, "no open shift"):
            self.as_agent(self.counter, at(15), "action_call_next")
        self.assert_unchanged(visit, before)
        self.assertEqual(visit.state, "waiting")

    def test_no_show_of_a_served_visit_is_refused(self):
        visit = self.arrive(at(9))
        self.as_agent(visit, at(9, 2), "action_served")
        before = self.snapshot(visit)
        with self.assertRaisesRegex(UserError, "no-show"):
            self.as_agent(visit, at(9, 3), "action_no_show")
        with self.assertRaisesRegex(UserError, "not waiting nor in service"):
            self.as_agent(visit, at(9, 3), "action_served")
        self.assert_unchanged(visit, before)
        self.assertEqual(visit.state, "served")
        waiting = self.arrive(at(9))
        with self.assertRaisesRegex(UserError, "call the visitor first"):
            self.as_agent(waiting, at(9, 3), "action_start_service")
        with self.assertRaisesRegex(UserError, "no-show"):
            self.as_agent(waiting, at(9, 3), "action_no_show")
        self.assertEqual(waiting.state, "waiting")

    def test_bad_check_in_and_transfer_arguments(self):
        Visit = self.env["crm.mall.visit"]
        count = Visit.search_count([])
        foreign = self.env["crm.mall.queue.service"].create(
            {
                "name": "Elsewhere",
                "code": "Z",
                "company_id": self.env["res.company"].create({"name": "Other"}).id,
            }
        )
        for kw in (
            {"service_id": "A"},
            {"service_id": 999999},
            {"service_id": foreign.id},
            {"priority": "yes"},
        ):
            with self.subTest(**kw), self.assertRaises(UserError):
                self.arrive(at(9), **kw)
        self.assertEqual(Visit.search_count([]), count)
        visit = self.arrive(at(9))
        before = self.snapshot(visit)
        for counter_id in ("x", 999999, self.counter.id, None):
            with self.subTest(counter_id=counter_id), self.assertRaises(UserError):
                self.as_agent(visit, at(9, 1), "action_transfer", counter_id)
        self.assert_unchanged(visit, before)
        self.assertEqual(Visit.search_count([]), count + 1)

    # ------------------------------------------------------------ figures
    def test_figures_equal_hand_computed_values(self):
        """Six visitors arrive at 9:00; waits 2, 4, 6 (no-show), 8, 12 minutes,
        one still waits; services 5, 10, 3 and 1 minutes; level 10 minutes.

        avg wait (2+4+6+8+12)/5 = 6.4; p90 (interpolated) 8 + 0.6 * (12-8) = 10.4;
        avg service (5+10+3+1)/4 = 4.75; p90 3 + ... = 5 + 0.7 * (10-5) = 8.5;
        no-shows 1 of 5 called = 20%; within 10 min: 2, 4, 8 of 2, 4, 8, 12 = 75%.
        """
        visits = [self.arrive(at(9)) for _i in range(6)]
        v1, v2, v3, v4, v5, _v6 = visits
        steps = [
            (v1, 2, "action_call"),
            (v1, 3, "action_start_service"),
            (v1, 8, "action_served"),
            (v2, 4, "action_call"),
            (v2, 4, "action_start_service"),
            (v2, 14, "action_served"),
            (v3, 6, "action_call"),
            (v3, 7, "action_no_show"),
            (v4, 8, "action_call"),
            (v4, 8, "action_start_service"),
            (v4, 11, "action_served"),
            (v5, 12, "action_call"),
            (v5, 13, "action_served"),
        ]
        for visit, minute, method in steps:
            self.as_agent(visit, at(9, minute), method)
        expected = {
            "visits": 6,
            "avg_wait": 6.4,
            "p90_wait": 10.4,
            "avg_service": 4.75,
            "p90_service": 8.5,
            "no_show_rate": 20.0,
            "within_level": 75.0,
        }
        Visit = self.env["crm.mall.visit"]
        (row,) = Visit._queue_figures(
            [("counter_id", "=", self.counter.id)], ["counter_id", "service_id"]
        )
        self.assertEqual(row["counter_id"], self.counter)
        self.assertEqual(row["service_id"], self.complaint)
        for name, value in expected.items():
            self.assertAlmostEqual(row[name], value, msg=name)
        (by_shift,) = Visit._queue_figures(
            [("counter_id", "=", self.counter.id)], ["shift_id", "queue_date:day"]
        )
        self.assertEqual(by_shift["shift_id"], self.shift)
        self.assertAlmostEqual(by_shift["p90_wait"], 10.4)
        # nothing to measure: zeros, one row without groupby
        (empty,) = Visit._queue_figures([("id", "=", 0)])
        self.assertEqual(empty["visits"], 0)
        # the board, today, and the cockpit show the same
        with freeze_time(at(10)):
            self.counter.invalidate_recordset()
            self.assertAlmostEqual(self.counter.avg_wait_today, 6.4)
            self.assertAlmostEqual(self.counter.p90_wait_today, 10.4)
            self.assertAlmostEqual(self.counter.no_show_rate_today, 20.0)
            self.assertAlmostEqual(self.counter.within_level_today, 75.0)
            self.assertEqual(self.counter.waiting_today, 1)
            self.assertEqual(self.other_counter.avg_wait_today, 0.0)
            cockpit = self.env["crm.mall.cockpit"].create({"period": "today"})
        line = cockpit.counter_line_ids.filtered(
            lambda li: li.counter_id == self.counter
        )
        self.assertAlmostEqual(line.p90_wait, 10.4)
        self.assertAlmostEqual(line.within_level, 75.0)
        # the pivot's averages agree
        Report = self.env["crm.mall.queue.report"]
        (report,) = Report._read_group(
            [("counter_id", "=", self.counter.id)],
            [],
            ["wait_minutes:avg", "no_show_rate:avg", "within_level:avg"],
        )
        for value, figure in zip(report, (6.4, 20.0, 75.0), strict=True):
            self.assertAlmostEqual(value, figure)

    def test_figures_run_one_query_whatever_the_rows(self):
        Visit = self.env["crm.mall.visit"]
        domain = [("counter_id", "in", (self.counter | self.other_counter).ids)]
        groupby = ["counter_id", "service_id", "shift_id", "queue_date:month"]
        self.arrive(at(9))
        Visit._queue_figures(domain, groupby)  # warm-up
        with self.assertQueryCount(1):
            Visit._queue_figures(domain, groupby)
        for minute in range(20):
            visit = self.arrive(at(9, minute), service_id=self.information.id)
            self.as_agent(visit, at(9, minute + 1), "action_call")
        self.env.flush_all()
        with self.assertQueryCount(1):
            rows = Visit._queue_figures(domain, groupby)
        self.assertEqual(sum(row["visits"] for row in rows), 21)

    def test_the_board_calls_the_next_visitor(self):
        with freeze_time(NOW):
            visit = self.checkin()
            action = self.counter.with_user(self.agent).action_call_next()
        self.assertEqual(action["params"]["next"]["res_id"], visit.id)
        self.assertIn(visit.queue_number, action["params"]["title"])
