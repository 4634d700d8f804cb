# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import MONDAY_10, ComplaintCase


@tagged("post_install", "-at_install")
class TestClocks(ComplaintCase):
    """Pauses, several deadlines, escalation levels, objectivity, replies."""

    def _holiday(self, day):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": day,
                "date_to": day + timedelta(hours=23, minutes=59),
            }
        )

    def test_pause_and_resume_around_a_holiday(self):
        self._holiday(datetime(2026, 11, 24))  # Tuesday
        with freeze_time(MONDAY_10):
            complaint = self.new_complaint()
        # 7h on Monday, Tuesday off, 1h on Wednesday
        self.assertEqual(
            complaint.complaint_ack_deadline, datetime(2026, 11, 25, 10, 0)
        )
        with freeze_time(datetime(2026, 11, 23, 14, 0)):
            complaint.with_user(self.officer)._crm_iso_pause_with_reason(
                "Waiting photos"
            )
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time(datetime(2026, 11, 25, 10, 30)):  # past the old deadline
            complaint.invalidate_recordset(
                [
                    "complaint_is_overdue",
                    "complaint_hours_left",
                    "complaint_clock_state",
                ]
            )
            self.assertEqual(complaint.complaint_clock_state, "paused")
            self.assertFalse(complaint.complaint_is_overdue)
            self.assertEqual(complaint.complaint_hours_left, 4.0, "frozen when paused")
            self.assertIn(
                complaint, Ticket.search([("complaint_clock_state", "in", ["paused"])])
            )
            Ticket._cron_complaint_deadlines()
        self.assertEqual(
            complaint.complaint_escalation_level, 0, "a paused clock escalates not"
        )
        with freeze_time(datetime(2026, 11, 25, 11, 0)):
            complaint.with_user(self.officer).action_resume()
        # paused Monday 14-17 and Wednesday 9-11: 5 working hours
        self.assertEqual(complaint.complaint_paused_work_hours, 5.0)
        self.assertEqual(
            complaint.complaint_ack_deadline, datetime(2026, 11, 25, 15, 0)
        )
        self.assertEqual(complaint.complaint_pause_ids.work_hours, 5.0)
        self.assertEqual(complaint.complaint_pause_ids.reason, "Waiting photos")
        with freeze_time(datetime(2026, 11, 25, 12, 0)):
            complaint.with_user(self.officer).action_acknowledge()
        self.assertEqual(complaint.complaint_ack_work_hours, 5.0, "working time only")
        self.assertTrue(complaint.complaint_ack_on_time)

    def test_request_for_information_pauses_and_reply_resumes(self):
        with freeze_time(datetime(2026, 11, 27, 16, 0)):  # Friday
            complaint = self.new_complaint()
            complaint.with_user(self.officer).action_request_information()
        self.assertTrue(complaint.complaint_paused_since)
        with freeze_time(datetime(2026, 11, 30, 10, 0)):  # Monday
            complaint.message_post(
                body="Here are the photos",
                author_id=self.customer.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertFalse(complaint.complaint_paused_since)
        self.assertEqual(
            complaint.complaint_paused_work_hours, 2.0, "Friday 16-17, Monday 9-10"
        )

    def test_priority_matrix_and_first_response_and_update_deadlines(self):
        self.policy.write(
            {
                "first_response_hours": 2,
                "update_hours": 16,
                "target_ids": [
                    (0, 0, {"priority": "3", "ack_hours": 1, "resolve_hours": 8})
                ],
            }
        )
        with freeze_time(MONDAY_10):
            complaint = self.new_complaint()
        self.assertEqual(
            complaint.complaint_first_response_deadline, datetime(2026, 11, 23, 12, 0)
        )
        self.assertEqual(
            complaint.complaint_update_deadline, datetime(2026, 11, 25, 10, 0)
        )
        with freeze_time(datetime(2026, 11, 23, 11, 0)):
            complaint.with_user(self.officer).action_acknowledge()
        self.assertEqual(
            complaint.complaint_first_response_date, datetime(2026, 11, 23, 11, 0)
        )
        self.assertEqual(
            complaint.complaint_update_deadline, datetime(2026, 11, 25, 11, 0)
        )
        complaint.with_user(self.manager).write(
            {
                "complaint_severity": "4",
                "complaint_impact": "4",
                "complaint_complexity": "3",
            }
        )
        self.assertEqual(complaint.priority, "3")
        self.assertEqual(
            complaint.complaint_resolve_deadline, datetime(2026, 11, 24, 10, 0)
        )

    def test_three_escalation_levels_each_once(self):
        director = new_test_user(self.env, "c_director", groups="base.group_user")
        ceo = new_test_user(self.env, "c_ceo", groups="base.group_user")
        self.policy.escalation_level_ids = [
            (5, 0, 0),
            (0, 0, {"level": 1, "percent": 50}),
            (0, 0, {"level": 2, "percent": 75, "user_id": director.id}),
            (0, 0, {"level": 3, "percent": 100, "user_id": ceo.id}),
        ]
        with freeze_time(MONDAY_10):
            complaint = self.new_complaint(team_id=self.team.id)
        Ticket = self.env["helpdesk.ticket"]
        steps = [
            (datetime(2026, 11, 23, 14, 30), 1, self.manager),  # > 4h of 8h
            (datetime(2026, 11, 23, 16, 30), 2, director),  # > 6h
            (datetime(2026, 11, 24, 10, 30), 3, ceo),  # breached
        ]
        for moment, level, person in steps:
            with freeze_time(moment):
                Ticket._cron_complaint_deadlines()
                Ticket._cron_complaint_deadlines()
            self.assertEqual(complaint.complaint_escalation_level, level)
            complaint.invalidate_recordset(["complaint_escalation_ids"])
            latest = complaint.complaint_escalation_ids.sorted("level")[-1]
            self.assertEqual((latest.level, latest.user_id), (level, person))
        self.assertEqual(len(complaint.complaint_escalation_ids), 3)
        groups = self.env["crm.iso.escalation"].formatted_read_group(
            [("ticket_id", "=", complaint.id)], ["team_id"], ["nbr:sum"]
        )
        self.assertEqual(groups[0]["nbr:sum"], 3)

    def test_objectivity(self):
        complaint = self.new_complaint(
            complaint_subject_user_ids=[(6, 0, self.officer.ids)]
        )
        error = self.assertRaisesRegex(ValidationError, "complained about")
        with error, self.cr.savepoint():
            complaint.with_user(self.manager).user_id = self.officer
        other = new_test_user(
            self.env, "c_other", groups="crm_iso_complaints.group_complaint_user"
        )
        self.team.user_ids |= other
        complaint.with_user(self.manager)._crm_iso_reassign(
            other.id, "Officer is the subject"
        )
        self.assertEqual(complaint.user_id, other)
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: "Officer is the subject" in m.body)
        )
        complaint.with_user(other)._crm_iso_declare_conflict("My cousin")
        self.assertFalse(complaint.user_id)
        self.assertIn(other, complaint.complaint_conflict_user_ids)
        error = self.assertRaisesRegex(ValidationError, "conflict of interest")
        with error, self.cr.savepoint():
            complaint.with_user(self.manager).user_id = other

    def _reply(self, complaint, text):
        complaint.message_post(
            body=text,
            author_id=self.customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )

    def test_reply_reopens_within_the_window_else_new_complaint(self):
        self.env.company.crm_iso_reopen_days = 10
        with freeze_time(MONDAY_10):
            complaint = self.closed_complaint()
        with freeze_time(MONDAY_10 + timedelta(days=3)):
            self._reply(complaint, "It broke again")
        self.assertEqual(complaint.complaint_state, "reopened")
        self.assertEqual(complaint.complaint_reopen_count, 1)
        self.assertEqual(
            complaint.complaint_received_date, MONDAY_10, "deadline history kept"
        )
        with freeze_time(MONDAY_10):
            old = self.closed_complaint()
        with freeze_time(MONDAY_10 + timedelta(days=30)):
            self._reply(old, "Another problem")
        self.assertEqual(old.complaint_state, "closed")
        follow_up = self.env["helpdesk.ticket"].search(
            [("parent_complaint_id", "=", old.id)]
        )
        self.assertTrue(follow_up.is_complaint)
        self.assertEqual(follow_up.partner_id, self.customer)
        self.assertIn("Another problem", follow_up.description)
