# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import NOW, MallCase

RECEIPT = "crm_mall_counter.action_report_counter_receipt"


@tagged("post_install", "-at_install")
class TestCounterReceipt(MallCase):
    """The counter prints the complaint's receipt without access to tickets."""

    def test_agent_prints_the_receipt_of_a_registered_complaint(self):
        with freeze_time(NOW):
            visit = self.checkin("09121234567", name="Sima")
            complaint = self.subject(visit, "complaint", description="Broken lift")
            request = self.subject(visit, "request", description="Where is gate 3?")
        ticket = complaint.sudo().ticket_id
        self.assertTrue(ticket.is_complaint)
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).check_access("read")
        action = visit.with_user(self.agent).action_print_receipt()
        self.assertEqual(
            action["report_name"], "crm_mall_counter.report_counter_receipt"
        )
        self.assertEqual(action["context"]["active_ids"], complaint.ids)
        self.assertEqual(
            complaint.with_user(self.agent).action_print_receipt()["context"][
                "active_ids"
            ],
            complaint.ids,
        )
        with self.assertRaisesRegex(UserError, "No complaint"):
            request.with_user(self.agent).action_print_receipt()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.agent)
            ._render_qweb_html(RECEIPT, complaint.ids)[0]
            .decode()
        )
        self.assertIn(ticket.complaint_ref, html)
        self.assertIn(f'data-tracking-url="{ticket.crm_iso_tracking_url()}"', html)
        self.assertNotIn("Where is gate 3?", html)
