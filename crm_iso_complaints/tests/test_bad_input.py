# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestBadInput(ComplaintCase):
    """Each bad input gets a clear error and changes nothing."""

    def _count(self, model):
        return self.env[model].with_context(active_test=False).search_count([])

    def test_deadline_hours_must_be_positive(self):
        Policy = self.env["crm.iso.complaint.policy"].with_user(self.manager)
        before = self._count("crm.iso.complaint.policy")
        for hours in (0, -4):
            with (
                self.assertRaisesRegex(ValidationError, "positive"),
                self.cr.savepoint(),
            ):
                Policy.create(
                    {"name": "bad", "calendar_id": self.calendar.id, "ack_hours": hours}
                )
        with self.assertRaisesRegex(ValidationError, "positive"), self.cr.savepoint():
            self.policy.with_user(self.manager).resolve_hours = 0
        self.assertEqual(self.policy.resolve_hours, 40)
        self.assertEqual(self._count("crm.iso.complaint.policy"), before)

    def test_policy_without_calendar(self):
        before = self._count("crm.iso.complaint.policy")
        with self.assertRaisesRegex(ValidationError, "calendar"), self.cr.savepoint():
            self.env["crm.iso.complaint.policy"].with_user(self.manager).create(
                {"name": "no calendar"}
            )
        self.assertEqual(self._count("crm.iso.complaint.policy"), before)

    def test_category_loop(self):
        child = self.env["helpdesk.ticket.category"].create(
            {"name": "child", "parent_id": self.category.id}
        )
        # helpdesk's parent store refuses loops with a clear "Recursion Detected."
        with self.assertRaisesRegex(UserError, "Recursion"), self.cr.savepoint():
            self.category.parent_id = child
        self.assertFalse(self.category.parent_id)

    def test_partnerless_portal_complaint(self):
        before = self._count("helpdesk.ticket")
        web = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        error = "must name the customer"
        with self.assertRaisesRegex(ValidationError, error), self.cr.savepoint():
            self.new_complaint(partner_id=False, channel_id=web.id)
        self.assertEqual(self._count("helpdesk.ticket"), before)

    def test_acknowledging_a_rejected_complaint(self):
        complaint = self.new_complaint()
        complaint.with_user(self.manager)._crm_iso_reject_with_reason("Not ours")
        with self.assertRaisesRegex(UserError, "cannot go from"), self.cr.savepoint():
            complaint.with_user(self.officer).action_acknowledge()
        self.assertEqual(complaint.complaint_state, "rejected")
        self.assertFalse(complaint.complaint_acknowledged_date)

    def test_warning_share_range(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.policy.warn_percent = 100
