# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestCommunication(ComplaintCase):
    def _messages(self, complaint, text):
        return complaint.message_ids.filtered(
            lambda m: text in (m.subject or "") or text in (m.body or "")
        )

    def test_acknowledgement_mailed_to_the_complainant(self):
        complaint = self.new_complaint()
        complaint.with_user(self.officer).action_acknowledge()
        sent = self._messages(complaint, "We have received your complaint")
        self.assertEqual(len(sent), 1)
        self.assertIn(self.customer, sent.partner_ids)
        self.assertIn(complaint.complaint_ref, sent.subject)
        self.assertEqual(sent.message_type, "comment")

    def test_each_template_at_its_transition(self):
        complaint = self.advance(
            self.new_complaint(), "acknowledged", "assessed", "investigation"
        )
        complaint.with_user(self.officer).action_request_information()
        self.assertTrue(self._messages(complaint, "we need more information"))
        self.advance(complaint, "response")
        decision = self._messages(complaint, "Our answer to your complaint")
        self.assertTrue(decision)
        self.assertIn("Sorry.", decision.body)
        complaint.with_user(self.officer).action_customer_accept()
        self.advance(complaint, "closed")
        self.assertTrue(self._messages(complaint, "is closed"))

    def test_no_email_is_logged_not_sent(self):
        walk_in = self.env["res.partner"].create({"name": "Walk-in visitor"})
        complaint = self.new_complaint(partner_id=walk_in.id)
        complaint.with_user(self.officer).action_acknowledge()
        self.assertFalse(self._messages(complaint, "We have received your complaint"))
        note = self._messages(complaint, "no email address")
        self.assertEqual(len(note), 1)
        self.assertTrue(note.is_internal or note.subtype_id.internal)

    def test_persian_template_for_persian_complainant(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        template = self.env.ref(
            "crm_iso_complaints.mail_template_complaint_acknowledgement"
        )
        self.assertEqual(template.lang, "{{ object.partner_id.lang }}")
        self.customer.lang = "fa_IR"
        complaint = self.new_complaint()
        rendered = template._render_lang(complaint.ids)
        self.assertEqual(rendered[complaint.id], "fa_IR")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_iso_complaints"], ["fa_IR"]
        )
        mail = template._generate_template(complaint.ids, ["subject", "body_html"])
        body = mail[complaint.id]["body_html"]
        self.assertIn('dir="rtl"', body)
        self.assertIn("گرامی", body)
        self.assertIn("شکایت شما", mail[complaint.id]["subject"])
        # the resolution date in the Solar Hijri calendar (year 14xx), in
        # Persian digits (۱۴۰۵/۰۹/۲۰ ۱۸:۰۰)
        self.assertRegex(body, r"۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}")
        self.customer.lang = "en_US"
        mail = template._generate_template(complaint.ids, ["body_html"])
        self.assertIn('dir="ltr"', mail[complaint.id]["body_html"])
        self.assertIn("Dear", mail[complaint.id]["body_html"])
