# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestAccess(ComplaintCase):
    def test_complaints_are_confidential(self):
        complaint = self.new_complaint()
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Ordinary", "description": "<p>x</p>"}
        )
        for user in (self.officer, self.manager):
            found = self.env["helpdesk.ticket"].with_user(user).search([])
            self.assertIn(complaint, found)
            self.assertEqual(complaint.with_user(user).partner_id, self.customer)
        # a helpdesk agent without the complaint group sees tickets, not complaints
        found = self.env["helpdesk.ticket"].with_user(self.helpdesk_user).search([])
        self.assertIn(ticket, found)
        self.assertNotIn(complaint, found)
        with self.assertRaises(AccessError):
            complaint.with_user(self.helpdesk_user).read(["partner_name"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).read(["partner_id"])

    def test_portal_reads_only_own_complaints(self):
        own = self.new_complaint(partner_id=self.portal.partner_id.id)
        other = self.new_complaint()
        Ticket = self.env["helpdesk.ticket"].with_user(self.portal)
        self.assertEqual(Ticket.search([("is_complaint", "=", True)]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.portal).read(["name"])
        with self.assertRaises(AccessError):
            own.with_user(self.portal).write({"name": "changed"})

    def test_received_complaint_is_never_deleted(self):
        complaint = self.new_complaint()
        for user in (self.manager, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError), self.cr.savepoint():
                complaint.with_user(user).unlink()
        self.assertTrue(complaint.exists())
        # archive only, with a reason
        action = complaint.with_user(self.manager).action_archive()
        self.assertEqual(action["res_model"], "crm.iso.complaint.reason.wizard")
        self.assertTrue(complaint.active)
        complaint.with_user(self.manager)._crm_iso_archive_with_reason(
            "Duplicate entry"
        )
        self.assertFalse(complaint.active)
        self.assertEqual(complaint.complaint_archive_reason, "Duplicate entry")
        # an ordinary ticket keeps helpdesk's behaviour
        ticket = self.env["helpdesk.ticket"].create({"name": "x", "description": "y"})
        ticket.unlink()

    def test_configuration_is_for_managers(self):
        Policy = self.env["crm.iso.complaint.policy"]
        self.assertTrue(Policy.with_user(self.officer).search([]))
        with self.assertRaises(AccessError):
            Policy.with_user(self.officer).create(
                {"name": "x", "calendar_id": self.calendar.id}
            )
        Policy.with_user(self.manager).create(
            {"name": "x", "calendar_id": self.calendar.id}
        )
        with self.assertRaises(AccessError):
            self.env["crm.iso.complaint.report"].with_user(self.employee).search([])
        with self.assertRaises(AccessError):
            self.env["mgmtsystem.action"].with_user(self.portal).search([])
        action = (
            self.env["mgmtsystem.action"]
            .with_user(self.officer)
            .create({"name": "Fix it", "crm_iso_origin": "complaint"})
        )
        with self.assertRaises(AccessError):
            action.with_user(self.officer).unlink()
        action.with_user(self.manager).unlink()
