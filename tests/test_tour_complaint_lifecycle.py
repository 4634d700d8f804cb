# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A complaints manager takes a complaint from receipt to closure, in a browser."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintLifecycleTour(HttpCase):
    def test_received_to_closed(self):
        manager = new_test_user(
            self.env,
            "cmp_tour_manager",
            groups="base.group_user,crm_iso_complaints.group_complaint_manager",
            name="Tour Complaints Manager",
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Complainant", "email": "complainant@example.com"}
        )
        complaint = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour: escalator stopped",
                "description": "<p>The escalator stopped with us on it.</p>",
                "is_complaint": True,
                "partner_id": customer.id,
                "category_id": self.env.ref(
                    "crm_iso_complaints.category_facilities"
                ).id,
            }
        )
        self.start_tour(
            "/odoo/complaints",
            "crm_iso_complaint_lifecycle_tour",
            login="cmp_tour_manager",
        )
        self.assertEqual(complaint.complaint_state, "closed")
        self.assertEqual(
            (
                complaint.complaint_severity,
                complaint.complaint_impact,
                complaint.complaint_remedy,
            ),
            ("3", "2", "apology"),
        )
        self.assertTrue(complaint.is_eligible_complaint)
        self.assertIn(
            "safety sensor was faulty", complaint.complaint_investigation_findings
        )
        self.assertIn("replaced the sensor", complaint.complaint_response)
        self.assertEqual(complaint.complaint_customer_decision, "accepted")
        self.assertTrue(complaint.complaint_decision_date)
        # each step went through the lifecycle gate, stamped with the manager
        for stamp in ("acknowledged", "assessed", "investigation", "response"):
            self.assertEqual(complaint[f"complaint_{stamp}_uid"], manager, stamp)
            self.assertTrue(complaint[f"complaint_{stamp}_date"], stamp)
        self.assertEqual(complaint.complaint_closed_uid, manager)
        self.assertTrue(complaint.complaint_closed_date)
        # the acknowledgement, decision and closure mails reached the complainant
        mailed = complaint.message_ids.filtered(
            lambda m: customer in m.partner_ids and m.message_type == "comment"
        )
        self.assertEqual(len(mailed), 3)
