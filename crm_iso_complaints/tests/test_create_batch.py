# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Creating complaints in a batch: the numbers drawn at once, the "Ticket
created" message of each written together, at a cost that does not grow with
the batch. test_upstream_pins.py compares both with upstream's one-by-one
paths (helpdesk_mgmt's numbering, mail's creation message)."""

import re

from odoo.tests import tagged

from .common import ComplaintCase

MANY = 20
# queries a complaint adds to a batch: mail's auto-subscription of each new
# record to its team's followers (mail.thread.create, one record at a time)
PER_COMPLAINT = 1


@tagged("post_install", "-at_install")
class TestCreateBatch(ComplaintCase):
    def _vals(self, count):
        return [
            {
                "name": f"Batch complaint {i}",
                "description": "<p>The lift is out of order.</p>",
                "is_complaint": True,
                "partner_id": self.customer.id,
                "category_id": self.category.id,
            }
            for i in range(count)
        ]

    def _create(self, count, user=None):
        return (
            self.env["helpdesk.ticket"]
            .with_user(user or self.officer)
            .create(self._vals(count))
        )

    def _numbers(self, values, prefix):
        return [int(re.fullmatch(rf"{prefix}(\d+)", value)[1]) for value in values]

    def test_queries_per_complaint(self):
        self._create(2)  # warm the ORM caches
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._create(1)
        self.env.flush_all()
        one = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        with self.assertQueryCount(one + (MANY - 1) * PER_COMPLAINT):
            self.assertEqual(len(self._create(MANY)), MANY)

    def test_references_drawn_together(self):
        complaints = self._create(MANY)
        year = complaints[0].received_date.year
        refs = self._numbers(complaints.mapped("complaint_ref"), rf"CMP/{year}/")
        self.assertEqual(refs, list(range(refs[0], refs[0] + MANY)), "consecutive")
        numbers = self._numbers(complaints.mapped("number"), "HT")
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + MANY)))
        after = self._create(1)
        self.assertEqual(self._numbers(after.mapped("number"), "HT"), [numbers[-1] + 1])

    def test_no_gap_sequence_batch(self):
        sequence = self.env["ir.sequence"].create(
            {
                "name": "Batch no gap",
                "implementation": "no_gap",
                "prefix": "NG",
                "padding": 3,
                "number_next": 7,
                "number_increment": 2,
            }
        )
        self.assertEqual(sequence._crm_iso_next_batch(3), ["NG007", "NG009", "NG011"])
        self.assertEqual(sequence._next(), "NG013", "the counter moved past the batch")
        # the counter moves once, whatever the batch's size
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        sequence._crm_iso_next_batch(2)
        two = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        with self.assertQueryCount(two):
            numbers = sequence._crm_iso_next_batch(MANY)
        self.assertEqual(numbers[0], "NG019")
        self.assertEqual(sequence._next(), f"NG{19 + 2 * MANY:03d}")

    def test_quiet_batch_messages(self):
        """Nobody to notify: the batch's messages come from one create, with
        the values message_post gives."""
        batch = self._create(3)
        subtype = batch._creation_subtype()
        for ticket in batch:
            message = ticket.message_ids.filtered(
                lambda m, s=subtype: m.subtype_id == s
            )
            self.assertEqual(len(message), 1)
            self.assertEqual(message.author_id, self.officer.partner_id)
            self.assertEqual(message.message_type, "notification")
            self.assertIn(ticket._creation_message(), message.body)
            self.assertFalse(message.notification_ids)
