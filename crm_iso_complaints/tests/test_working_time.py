# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from ..tools import formulas, working_time
from .common import MONDAY_10, ComplaintCase, calendar_vals


@tagged("post_install", "-at_install")
class TestWorkingTime(ComplaintCase):
    """Deadline arithmetic on working hours: weekends, holidays, time zones."""

    def test_deadline_within_the_day_and_over_the_weekend(self):
        friday_15 = datetime(2026, 11, 27, 15, 0)
        ack, resolve = working_time.add_working_hours(
            self.calendar, [(MONDAY_10, 4), (friday_15, 4)]
        )
        self.assertEqual(ack, datetime(2026, 11, 23, 14, 0))
        # 2 hours on Friday, the weekend skipped, 2 hours on Monday
        self.assertEqual(resolve, datetime(2026, 11, 30, 11, 0))

    def test_deadline_skips_a_public_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 24, 0, 0),
                "date_to": datetime(2026, 11, 24, 23, 59, 59),
            }
        )
        # Monday 10:00 + 8h: 7h on Monday, Tuesday off, 1h on Wednesday
        (deadline,) = working_time.add_working_hours(self.calendar, [(MONDAY_10, 8)])
        self.assertEqual(deadline, datetime(2026, 11, 25, 10, 0))
        hours = working_time.working_hours_between(
            self.calendar, [(MONDAY_10, datetime(2026, 11, 25, 10, 0))]
        )
        self.assertEqual(hours, [8.0])

    def test_tehran_calendar(self):
        """Saturday-Wednesday 08:00-16:00 Asia/Tehran (UTC+03:30): stored in UTC."""
        tehran = self.env["resource.calendar"].create(
            calendar_vals("Tehran", "Asia/Tehran", [5, 6, 0, 1, 2], 8.0, 16.0)
        )
        # Wednesday 2026-11-25 15:00 Tehran = 11:30 UTC; +2h: 1h Wednesday,
        # Thursday and Friday off, 1h Saturday from 08:00 Tehran = 04:30 UTC
        (deadline,) = working_time.add_working_hours(
            tehran, [(datetime(2026, 11, 25, 11, 30), 2)]
        )
        self.assertEqual(deadline, datetime(2026, 11, 28, 5, 30))

    def test_a_long_closure_extends_the_loaded_span(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Renovation",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 24, 0, 0),
                "date_to": datetime(2027, 1, 31, 23, 59, 59),
            }
        )
        (deadline,) = working_time.add_working_hours(self.calendar, [(MONDAY_10, 10)])
        # 7h on Monday 23 November, then Monday 1 February 2027 9:00 + 3h
        self.assertEqual(deadline, datetime(2027, 2, 1, 12, 0))

    def test_complaint_deadlines_use_the_policy(self):
        with freeze_time(MONDAY_10):
            complaint = self.new_complaint()
        self.assertEqual(complaint.complaint_policy_id, self.policy)
        self.assertEqual(complaint.complaint_received_date, MONDAY_10)
        self.assertEqual(
            complaint.complaint_ack_deadline, datetime(2026, 11, 24, 10, 0)
        )
        self.assertEqual(
            complaint.complaint_resolve_deadline, datetime(2026, 11, 30, 10, 0)
        )
        # warnings at 50% of the time
        self.assertEqual(
            complaint.complaint_ack_warn_date, datetime(2026, 11, 23, 14, 0)
        )
        with freeze_time(datetime(2026, 11, 23, 12, 0)):
            complaint.invalidate_recordset(
                ["complaint_hours_left", "complaint_is_overdue"]
            )
            self.assertEqual(complaint.complaint_hours_left, 6.0)
            self.assertFalse(complaint.complaint_is_overdue)
        with freeze_time(datetime(2026, 11, 24, 12, 0)):
            complaint.invalidate_recordset(
                ["complaint_hours_left", "complaint_is_overdue"]
            )
            self.assertEqual(complaint.complaint_hours_left, -2.0)
            self.assertTrue(complaint.complaint_is_overdue)
            Ticket = self.env["helpdesk.ticket"]
            self.assertIn(
                complaint, Ticket.search([("complaint_is_overdue", "=", True)])
            )
            self.assertNotIn(
                complaint, Ticket.search([("complaint_is_overdue", "=", False)])
            )

    def test_most_specific_policy_wins(self):
        severe = self.env["crm.iso.complaint.policy"].create(
            {
                "name": "Severe in test category",
                "category_id": self.category.id,
                "severity": "4",
                "calendar_id": self.calendar.id,
                "ack_hours": 1,
                "resolve_hours": 8,
                "sequence": 50,
            }
        )
        complaint = self.new_complaint()
        self.assertEqual(complaint.complaint_policy_id, self.policy)
        complaint.with_user(self.manager).complaint_severity = "4"
        self.assertEqual(complaint.complaint_policy_id, severe)

    def test_assessment_matrix(self):
        self.assertEqual(formulas.complaint_assessment_score("3", "2", None), 6)
        self.assertEqual(formulas.complaint_assessment_score("4", "4", "3"), 48)
        self.assertEqual(formulas.complaint_assessment_score(False, "2"), 0)
        self.assertEqual(formulas.priority_from_score(4), "0")
        self.assertEqual(formulas.priority_from_score(5), "1")
        self.assertEqual(formulas.priority_from_score(24), "2")
        self.assertEqual(formulas.priority_from_score(25), "3")
        self.assertIsNone(formulas.priority_from_score(0))
        complaint = self.new_complaint()
        complaint.with_user(self.manager).write(
            {
                "complaint_severity": "4",
                "complaint_impact": "3",
                "complaint_complexity": "3",
            }
        )
        self.assertEqual(complaint.complaint_assessment_score, 36)
        self.assertEqual(complaint.priority, "3")
