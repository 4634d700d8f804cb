# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""helpdesk_mgmt_sla and helpdesk_mgmt_rating beside the suite (co-installation
database of ``make test``): plain tickets keep SLA rows and rating requests;
complaints follow the suite's ISO clocks and surveys only."""

from odoo.addons.crm_iso_complaints.tests.common import ComplaintCase


class TestSlaAndRating(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.use_sla = True
        cls.env["helpdesk.sla"].create(
            {"name": "Answer in a day", "team_ids": [(6, 0, cls.team.ids)], "days": 1}
        )

    def plain_ticket(self):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Question",
                "description": "x",
                "team_id": self.team.id,
                "category_id": self.category.id,
                "partner_id": self.customer.id,
            }
        )

    def test_complaints_carry_no_sla_row(self):
        plain = self.plain_ticket()
        complaint = self.new_complaint()
        self.assertTrue(plain.ticket_sla_ids)
        self.assertEqual(complaint.team_id, self.team)
        self.assertFalse(complaint.ticket_sla_ids)
        self.assertTrue(complaint.complaint_ack_deadline)  # the suite's own clock
        complaint.refresh_sla()
        (plain | complaint).set_sla()
        self.assertFalse(complaint.ticket_sla_ids)
        self.assertTrue(plain.ticket_sla_ids)

    def test_ticket_becoming_a_complaint_drops_its_sla_row(self):
        ticket = self.plain_ticket()
        self.assertTrue(ticket.ticket_sla_ids)
        ticket.is_complaint = True
        self.assertFalse(ticket.ticket_sla_ids)

    def test_no_rating_request_for_a_complaint(self):
        template = self.env.ref("helpdesk_mgmt_rating.rating_ticket_email_template")
        closed = self.env.ref("crm_iso_complaints.stage_complaint_closed")
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        (closed | done).rating_mail_template_id = template
        complaint = self.closed_complaint()
        self.assertEqual(complaint.stage_id, closed)
        self.assertFalse(complaint.rating_ids)
        plain = self.plain_ticket()
        plain.stage_id = done
        self.assertTrue(plain.rating_ids)
