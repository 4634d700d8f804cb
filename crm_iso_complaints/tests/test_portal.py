# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPortal(HttpCase, ComplaintCase):
    """Portal routes with a real HTTP server: own complaints only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            "c_portal_http",
            groups="base.group_portal",
            password="portal-pass-123",
            email="portal.customer@example.com",
        )
        cls.own = cls.env["helpdesk.ticket"].create(
            {
                "name": "Lift out of order",
                "description": "<p>x</p>",
                "is_complaint": True,
                "partner_id": cls.portal_user.partner_id.id,
                "category_id": cls.category.id,
            }
        )
        cls.foreign = cls.env["helpdesk.ticket"].create(
            {
                "name": "Someone else's complaint",
                "description": "<p>secret</p>",
                "is_complaint": True,
                "partner_id": cls.customer.id,
                "category_id": cls.category.id,
            }
        )

    def _csrf(self, url="/new/ticket"):
        page = self.url_open(url).text
        return re.search(r'name="csrf_token"\s+(?:t-att-)?value="([^"]+)"', page).group(
            1
        )

    def test_submit_a_complaint_from_the_portal(self):
        self.authenticate("c_portal_http", "portal-pass-123")
        form = self.url_open("/new/ticket")
        self.assertIn('name="is_complaint"', form.text)
        touchpoint = self.env.ref("crm_iso_complaints.touchpoint_web")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": self._csrf(),
                "subject": "Toilets closed on the second floor",
                "description": "All day.",
                "is_complaint": "1",
                "touchpoint": str(touchpoint.id),
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "Toilets closed on the second floor")]
        )
        self.assertTrue(complaint.is_complaint)
        self.assertTrue(complaint.complaint_ref)
        self.assertEqual(complaint.partner_id, self.portal_user.partner_id)
        self.assertEqual(complaint.crm_iso_touchpoint_id, touchpoint)
        self.assertEqual(complaint.complaint_state, "received")
        page = self.url_open(f"/my/ticket/{complaint.id}")
        self.assertIn(complaint.complaint_ref, page.text)

    def test_foreign_complaint_is_out_of_reach(self):
        self.authenticate("c_portal_http", "portal-pass-123")
        page = self.url_open(f"/my/ticket/{self.foreign.id}")
        self.assertNotIn("Someone else", page.text)
        listing = self.url_open("/my/tickets")
        self.assertIn("Lift out of order", listing.text)
        self.assertNotIn("Someone else", listing.text)
        csrf = self._csrf()
        answer = self.url_open(
            f"/my/complaint/{self.foreign.id}/answer",
            data={"csrf_token": csrf, "decision": "reject", "reason": "x"},
        )
        self.assertEqual(answer.status_code, 404)
        closing = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        closing.close_from_portal = True
        close = self.url_open(
            f"/ticket/close?ticket_id={self.foreign.id}&stage_id={closing.id}"
        )
        self.assertEqual(close.status_code, 404)
        self.assertEqual(self.foreign.complaint_state, "received")
        self.assertFalse(self.foreign.complaint_customer_decision)
        # even its own complaint cannot be closed by a stage jump
        self.url_open(f"/ticket/close?ticket_id={self.own.id}&stage_id={closing.id}")
        self.assertEqual(self.own.complaint_state, "received")

    def test_complainant_answers_the_response(self):
        self.advance(self.own, "acknowledged", "assessed", "investigation", "response")
        self.authenticate("c_portal_http", "portal-pass-123")
        page = self.url_open(f"/my/ticket/{self.own.id}")
        self.assertIn("I accept this response", page.text)
        self.url_open(
            f"/my/complaint/{self.own.id}/answer",
            data={
                "csrf_token": self._csrf(),
                "decision": "reject",
                "reason": "The apology is not enough",
            },
        )
        self.assertEqual(self.own.complaint_customer_decision, "rejected")
        self.assertEqual(
            self.own.complaint_customer_rejection_reason, "The apology is not enough"
        )

    def test_published_codes_of_conduct_page(self):
        Code = self.env["crm.iso.conduct.code"]
        published = Code.create({"name": "Promise we publish", "published": True})
        self.env["crm.iso.conduct.commitment"].create(
            {
                "code_id": published.id,
                "name": "We answer within two working days",
                "indicator": "resolve_within_pct",
                "parameter": 16,
                "target": 90,
            }
        )
        Code.create({"name": "Draft promise", "published": False})
        page = self.url_open("/codes-of-conduct")  # public: nobody logged in
        self.assertEqual(page.status_code, 200)
        self.assertIn("Promise we publish", page.text)
        self.assertIn("We answer within two working days", page.text)
        self.assertNotIn("Draft promise", page.text)
