# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestCodesOfConduct(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Conduct Mall"})
        cls.env.user.company_ids |= cls.company
        cls.manager.company_ids |= cls.company  # the owner works for that mall
        cls.code = cls.env["crm.iso.conduct.code"].create(
            {"name": "Our promises", "company_id": cls.company.id, "published": True}
        )
        Commitment = cls.env["crm.iso.conduct.commitment"]
        cls.ack = Commitment.create(
            {
                "code_id": cls.code.id,
                "name": "Acknowledge within 8 working hours",
                "indicator": "ack_within_pct",
                "parameter": 8,
                "target": 100,
                "owner_id": cls.manager.id,
            }
        )
        cls.avg = Commitment.create(
            {
                "code_id": cls.code.id,
                "name": "Acknowledge in 4 hours on average",
                "indicator": "ack_avg_hours",
                "target": 4,
                "at_risk_margin": 1,
            }
        )

    def _complaints(self, ack_hours_list):
        """Complaints of October 2026 in our company, acknowledged after N hours."""
        complaints = self.env["helpdesk.ticket"]
        for hours in ack_hours_list:
            with freeze_time(datetime(2026, 10, 5, 9, 0)):
                complaint = self.new_complaint(company_id=self.company.id)
            complaint.sudo()._crm_iso_write(
                {
                    "complaint_state": "acknowledged",
                    "complaint_acknowledged_date": datetime(2026, 10, 6, 9, 0),
                    "complaint_ack_work_hours": hours,
                }
            )
            complaints |= complaint
        return complaints

    def test_compliance_computed_from_live_data(self):
        self._complaints([2, 4, 6, 12])
        values = (self.ack | self.avg)._evaluate(date(2026, 10, 1), date(2026, 11, 1))
        self.assertEqual(values[self.ack.id], (75.0, 4))
        self.assertEqual(values[self.avg.id], (6.0, 4))
        self.assertEqual(self.ack._status(75.0, 4), "missed")
        self.assertEqual(self.avg._status(6.0, 4), "missed")
        self.assertEqual(self.avg._status(4.5, 4), "at_risk")
        self.assertEqual(self.avg._status(3.0, 4), "met")
        self.assertEqual(self.avg._status(0.0, 0), "no_data")
        with freeze_time(datetime(2026, 10, 20, 12, 0)):
            self.ack.invalidate_recordset(["current_value", "current_status"])
            self.assertEqual(self.ack.current_value, 75.0)
            self.assertEqual(self.ack.current_status, "missed")

    def test_snapshots_freeze_the_past(self):
        complaints = self._complaints([2, 4])
        snapshots = self.env["crm.iso.conduct.commitment"]._cron_snapshot_periods(
            today=date(2026, 11, 15)
        )
        mine = snapshots.filtered(lambda s: s.commitment_id in (self.ack | self.avg))
        self.assertEqual(len(mine), 2)
        ack_snapshot = mine.filtered(lambda s: s.commitment_id == self.ack)
        self.assertEqual(ack_snapshot.period_start, date(2026, 10, 1))
        self.assertEqual(ack_snapshot.period_end, date(2026, 10, 31))
        self.assertEqual(ack_snapshot.value, 100.0)
        self.assertEqual(ack_snapshot.status, "met")
        self.assertEqual(self.ack.last_status, "met")
        # later edits of the data do not change the stored past
        complaints.sudo()._crm_iso_write({"complaint_ack_work_hours": 20})
        again = self.env["crm.iso.conduct.commitment"]._cron_snapshot_periods(
            today=date(2026, 11, 20)
        )
        self.assertFalse(again.filtered(lambda s: s.commitment_id == self.ack))
        self.assertEqual(ack_snapshot.value, 100.0)
        with self.assertRaises(UserError):
            ack_snapshot.write({"value": 1})
        with self.assertRaises(UserError):
            ack_snapshot.unlink()

    def test_missed_commitment_notifies_its_owner(self):
        self._complaints([12])
        self.env["crm.iso.conduct.commitment"]._cron_snapshot_periods(
            today=date(2026, 11, 2)
        )
        activity = self.ack.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("missed", activity.summary)

    def test_target_outside_the_indicator_range(self):
        for vals in ({"target": 120}, {"target": -1}, {"parameter": 0}):
            with (
                self.assertRaisesRegex(ValidationError, "range|positive"),
                self.cr.savepoint(),
            ):
                self.ack.write(vals)
        self.assertEqual(self.ack.target, 100)

    def test_bounded_queries_whatever_the_volume(self):
        self._complaints([1, 2, 3])
        commitments = self.ack | self.avg
        commitments._evaluate(date(2026, 10, 1), date(2026, 11, 1))
        with self.assertQueryCount(2):  # one GROUP BY per indicator
            commitments._evaluate(date(2026, 10, 1), date(2026, 11, 1))
        self._complaints([4, 5, 6, 7, 8, 9])
        self.env.flush_all()
        with self.assertQueryCount(2):
            commitments._evaluate(date(2026, 10, 1), date(2026, 11, 1))
