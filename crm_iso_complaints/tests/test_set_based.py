# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The hot paths of a batch of complaints are set-based.

Category defaults, the priority the assessment matrix sets, the working times
recorded at a transition and resuming paused clocks cost the same number of
queries for 20 complaints as for one: records that receive the same values are
written together, and nothing is read or written one complaint at a time.
"""

from odoo import fields

from .common import ComplaintCase

MANY = 20


class TestSetBased(ComplaintCase):
    def batch(self, count):
        return self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Complaint {i}",
                    "description": "<p>The parking barrier closed on my car.</p>",
                    "is_complaint": True,
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                }
                for i in range(count)
            ]
        )

    def queries(self, step, records):
        """The queries ``step(records)`` costs, its writes flushed included."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        step(records)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def assertSameCost(self, step, warm, one, many):
        """``step`` costs no more queries on ``many`` records than on ``one``
        (after a first run on ``warm``, which fills the ORM caches)."""
        self.assertEqual(len(many), MANY)
        step(warm)
        expected = self.queries(step, one)
        self.env.flush_all()
        self.env.invalidate_all()
        # the ORM's flush, not the commit's: the chatter's tracking messages (one
        # per complaint, by nature) are written when the transaction commits
        with self.assertQueryCount(expected, flush=False):
            step(many)
            self.env.flush_all()

    def test_category_defaults(self):
        warm, one, many = self.batch(1), self.batch(1), self.batch(MANY)
        self.category.complaint_severity = "3"
        for batch in (one, many):
            self.assertFalse(any(batch.mapped("complaint_severity")))

        def step(records):
            records._crm_iso_apply_category_defaults()

        self.assertSameCost(step, warm, one, many)
        self.assertEqual(set(many.mapped("complaint_severity")), {"3"})

    def test_priority_sync(self):
        batches = self.batch(1), self.batch(1), self.batch(MANY)
        for batch in batches:
            with batch._crm_iso_unlocked():
                batch.write(
                    {
                        "complaint_severity": "4",
                        "complaint_impact": "4",
                        "complaint_complexity": "3",
                        "priority": "0",  # written too: no sync now
                    }
                )
        warm, one, many = batches

        def step(records):
            records._crm_iso_sync_priority_after({"complaint_impact": "4"})

        self.assertSameCost(step, warm, one, many)
        self.assertEqual(len(set(many.mapped("priority"))), 1)
        self.assertNotEqual(many[0].priority, "0")

    def test_working_times(self):
        warm, one, many = self.batch(1), self.batch(1), self.batch(MANY)
        now = fields.Datetime.now()

        def step(records):
            records._crm_iso_record_working_times("acknowledged", now)

        self.assertSameCost(step, warm, one, many)
        self.assertTrue(all(many.mapped("complaint_ack_on_time")))

    def test_resume(self):
        warm, one, many = self.batch(1), self.batch(1), self.batch(MANY)
        (warm | one | many)._crm_iso_pause_clocks("Waiting for the receipt")

        def step(records):
            records._crm_iso_resume_clocks()

        self.assertSameCost(step, warm, one, many)
        self.assertFalse(any(many.mapped("complaint_paused_since")))
        self.assertEqual(len(many.complaint_pause_ids), MANY)
        self.assertTrue(all(many.complaint_pause_ids.mapped("stop")))
