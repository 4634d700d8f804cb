# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MONDAY_10, ComplaintCase


@tagged("post_install", "-at_install")
class TestDeadlineCron(ComplaintCase):
    def _activities(self, complaint):
        return self.env["mail.activity"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", complaint.id)]
        )

    def test_warn_then_escalate_once(self):
        with freeze_time(MONDAY_10):
            complaint = self.new_complaint(user_id=self.officer.id)
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time(datetime(2026, 11, 23, 13, 0)):
            Ticket._cron_complaint_deadlines()
        self.assertFalse(self._activities(complaint))
        with freeze_time(datetime(2026, 11, 23, 14, 30)):  # past 50% of 8h
            Ticket._cron_complaint_deadlines()
        warn = self._activities(complaint)
        self.assertEqual(len(warn), 1)
        self.assertEqual(warn.user_id, self.officer)
        self.assertIn("approaching", warn.summary)
        self.assertTrue(complaint.complaint_ack_warned)
        with freeze_time(datetime(2026, 11, 24, 11, 0)):  # past the ack deadline
            Ticket._cron_complaint_deadlines()
            Ticket._cron_complaint_deadlines()  # a second run adds nothing
        activities = self._activities(complaint)
        self.assertEqual(len(activities), 2)
        escalation = activities - warn
        self.assertEqual(escalation.user_id, self.manager, "the team leader")
        self.assertIn("escalated to level 1", escalation.summary)
        self.assertEqual(complaint.complaint_escalation_level, 1)

    def test_acknowledged_complaint_runs_against_resolution(self):
        with freeze_time(MONDAY_10):
            complaint = self.new_complaint()
            complaint.with_user(self.officer).action_acknowledge()
        self.assertTrue(complaint.complaint_ack_on_time)
        self.assertEqual(complaint.complaint_ack_work_hours, 0.0)
        with freeze_time(datetime(2026, 11, 25, 12, 0)):
            self.env["helpdesk.ticket"]._cron_complaint_deadlines()
        self.assertEqual(
            complaint.complaint_escalation_level, 0, "acknowledged in time"
        )
        self.assertFalse(complaint.complaint_resolve_warned, "before 50% of 40h")
        with freeze_time(datetime(2026, 11, 26, 12, 0)):
            self.env["helpdesk.ticket"]._cron_complaint_deadlines()
        self.assertTrue(complaint.complaint_resolve_warned)
        with freeze_time(datetime(2026, 12, 1, 9, 0)):
            self.env["helpdesk.ticket"]._cron_complaint_deadlines()
        self.assertEqual(complaint.complaint_escalation_level, 1)
        self.assertEqual(len(self._activities(complaint)), 2)

    def test_late_acknowledgement_is_measured(self):
        with freeze_time(MONDAY_10):
            complaint = self.new_complaint()
        with freeze_time(datetime(2026, 11, 24, 15, 0)):
            complaint.with_user(self.officer).action_acknowledge()
        self.assertFalse(complaint.complaint_ack_on_time)
        self.assertEqual(complaint.complaint_ack_work_hours, 13.0)

    def _open_complaints(self, count):
        with freeze_time(MONDAY_10):
            return self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Complaint {i}",
                        "description": "<p>x</p>",
                        "is_complaint": True,
                        "partner_id": self.customer.id,
                        "category_id": self.category.id,
                    }
                    for i in range(count)
                ]
            )

    def test_cron_cost_does_not_grow_with_open_complaints(self):
        """The cron searches stored dates: open complaints not due cost nothing."""
        Ticket = self.env["helpdesk.ticket"]
        complaints = self._open_complaints(30)
        self.assertEqual(len(set(complaints.mapped("complaint_ack_deadline"))), 1)
        with freeze_time(datetime(2026, 11, 23, 11, 0)):  # nothing due yet
            Ticket._cron_complaint_deadlines()
            self.env.flush_all()
            with self.assertQueryCount(__system__=4):
                Ticket._cron_complaint_deadlines()
            self._open_complaints(200)
            self.env.flush_all()
            with self.assertQueryCount(__system__=4):
                Ticket._cron_complaint_deadlines()
        with freeze_time(datetime(2026, 11, 24, 11, 0)):  # all 230 breached
            Ticket._cron_complaint_deadlines()
        self.assertEqual(set(complaints.mapped("complaint_escalation_level")), {1})
        logs = self.env["crm.iso.escalation"].search(
            [("ticket_id", "in", complaints.ids)]
        )
        self.assertEqual(len(logs), 30)
        self.assertEqual(logs.team_id, complaints.team_id)
