# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The main journeys in a real browser (HttpCase + Debian Chromium)."""

import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

FIRST_COLUMN = ".o_list_renderer th[data-name=complaint_ref]"
# Run in the complaints list of a Persian user: fails unless Odoo's RTL CSS applies.
RTL_CHECK = f"""
const navbar = document.querySelector(".o_main_navbar");
const first = document.querySelector("{FIRST_COLUMN}");
const brand = document.querySelector(".o_menu_brand").textContent.trim();
if (getComputedStyle(navbar).direction !== "rtl") {{
    throw new Error("the navbar is laid out left to right");
}}
if (first.getBoundingClientRect().left < window.innerWidth / 2) {{
    throw new Error("the first column is not on the right");
}}
if (brand !== expected) {{
    throw new Error("menu not in Persian: " + brand);
}}
console.log("test successful");
"""


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def _admin_on_shift(self):
        """The admin on a shift at a counter, now: the counter's screen is theirs."""
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
        return admin, counter

    def test_counter_checkin_to_complaint(self):
        """A known visitor: phone typed, card shown, description, one click on
        Complaint, the reference on the same page (the tour counts the clicks
        and checks the page and its URL did not change)."""
        admin, counter = self._admin_on_shift()
        Visit = self.env["crm.mall.visit"].with_user(admin)
        earlier = Visit.checkin(
            "09127776655",
            name="Tour Known Visitor",
            counter_id=counter.id,
            email="known@example.com",
        )
        self.env["crm.mall.subject"].with_user(admin).create(
            {
                "visit_id": earlier.id,
                "subject_type": "complaint",
                "description": "Parking barrier broken",
            }
        )
        earlier.action_served()
        self.start_tour("/odoo", "crm_mall_checkin_tour", login="admin")
        visitor = earlier.partner_id
        complaint = self.env["helpdesk.ticket"].search(
            [
                ("partner_id", "=", visitor.id),
                ("is_complaint", "=", True),
                ("name", "=", "The escalator stopped"),
            ]
        )
        self.assertEqual(complaint.complaint_state, "received")
        self.assertEqual(complaint.crm_mall_visit_id.counter_id, counter)
        self.assertNotEqual(complaint.crm_mall_visit_id, earlier)
        self.assertEqual(
            complaint.crm_mall_subject_id.description, "The escalator stopped"
        )

    def test_counter_checkin_of_a_new_visitor(self):
        """A new visitor: name, email and consent on the same screen."""
        self._admin_on_shift()
        self.start_tour("/odoo", "crm_mall_checkin_new_visitor_tour", login="admin")
        visitor = self.env["res.partner"].search(
            [("crm_mall_phone", "=", "+989127776600")]
        )
        self.assertEqual(visitor.name, "Tour New Visitor")
        self.assertEqual(visitor.email, "new.visitor@example.com")
        self.assertTrue(visitor.crm_mall_contact_consent)
        self.assertTrue(visitor.crm_mall_contact_consent_date)
        complaint = self.env["helpdesk.ticket"].search(
            [("partner_id", "=", visitor.id), ("is_complaint", "=", True)]
        )
        self.assertEqual(len(complaint), 1)

    def test_persian_user_gets_right_to_left_screens(self):
        """Odoo's RTL stylesheet (rtlcss) and the Persian terms reach a fa_IR user."""
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_iso_complaints"], ["fa_IR"]
        )
        new_test_user(
            self.env,
            "fa_manager",
            groups="base.group_user,crm_iso_complaints.group_complaint_manager",
            lang="fa_IR",
        )
        brand = (
            self.env.ref("crm_iso_complaints.menu_crm_iso_root")
            .with_context(lang="fa_IR")
            .name
        )
        self.assertNotEqual(brand, "Complaints")
        self.browser_js(
            "/odoo/complaints",
            f"const expected = {json.dumps(brand)};\n{RTL_CHECK}",
            ready=f"!!document.querySelector('{FIRST_COLUMN}')",
            login="fa_manager",
        )
