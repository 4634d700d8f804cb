# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The main journeys in a real browser (HttpCase + Debian Chromium)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def test_counter_checkin_to_complaint(self):
        now = fields.Datetime.now()
        admin = self.env.ref("base.user_admin")
        counter = self.env["crm.mall.counter"].create(
            {"name": "Tour desk", "code": "TOUR"}
        )
        self.env["crm.mall.shift"].search([("user_id", "=", admin.id)]).unlink()
        self.env["crm.mall.shift"].create(
            {
                "user_id": admin.id,
                "counter_id": counter.id,
                "date": now.date(),
                "start": now - timedelta(hours=1),
                "stop": now + timedelta(hours=2),
            }
        )
        self.start_tour("/odoo", "crm_mall_checkin_tour", login="admin")
        visitor = self.env["res.partner"].search(
            [("crm_mall_phone", "=", "+989127776655")]
        )
        self.assertEqual(visitor.name, "Tour Visitor")
        complaint = self.env["helpdesk.ticket"].search(
            [("partner_id", "=", visitor.id), ("is_complaint", "=", True)]
        )
        self.assertEqual(complaint.complaint_state, "received")
