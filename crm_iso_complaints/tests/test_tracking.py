# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tracking a complaint from its token link, as a browser that is not logged in."""

import re
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestTracking(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["helpdesk.ticket"].create(
            {
                "name": "Another visitor's complaint",
                "description": "<p>private</p>",
                "is_complaint": True,
                "partner_id": cls.env["res.partner"].create({"name": "Reza"}).id,
                "category_id": cls.category.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)  # an anonymous session (public user)
        # dates on the page are in the complainant's time zone
        self.customer.tz = "Asia/Tehran"

    def _path(self, complaint):
        """The token link, checked absolute, as a path for the test server."""
        url = complaint.crm_iso_tracking_url()
        base = complaint.get_base_url()
        self.assertTrue(url.startswith(base + "/my/ticket/"), url)
        self.assertIn(f"access_token={complaint.access_token}", url)
        return url[len(base) :]

    def _csrf(self, page):
        return re.search(r'csrf_token: "([^"]+)"', page).group(1)

    def _post(self, complaint, action, token, **data):
        page = self.url_open(self._path(complaint)).text
        return self.url_open(
            f"/complaint/track/{complaint.id}/{action}",
            data={"csrf_token": self._csrf(page), "access_token": token, **data},
        )

    def assertNotFound(self, response, complaint):
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(complaint.complaint_ref, response.text)
        self.assertNotIn(complaint.name, response.text)

    # ------------------------------------------------------------ allowed
    def test_token_page_shows_the_complaint_and_nothing_else(self):
        complaint = self.advance(self.new_complaint(), "acknowledged")
        complaint.message_post(
            body="We are checking the escalator logs.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        complaint.message_post(
            body="Internal: the contractor skipped the maintenance.",
            subtype_xmlid="mail.mt_note",
        )
        page = self.url_open(self._path(complaint))
        self.assertEqual(page.status_code, 200)
        text = page.text
        self.assertTrue(complaint.complaint_resolve_deadline)
        self.assertIn('id="crm_iso_complaint_tracking"', text)
        self.assertIn(complaint.complaint_ref, text)
        self.assertIn("Acknowledged", text)
        self.assertIn(
            complaint.crm_iso_format_date(complaint.complaint_received_date, "en_US"),
            text,
        )
        self.assertIn(
            complaint.crm_iso_format_date(
                complaint.complaint_resolve_deadline, "en_US"
            ),
            text,
        )
        self.assertIn("We are checking the escalator logs.", text)
        self.assertIn("Thank you for telling us", text)  # the acknowledgement
        self.assertNotIn("the contractor skipped", text)  # internal note
        self.assertNotIn(self.other.name, text)
        self.assertNotIn("/my/tickets", text)  # no portal menu
        self.assertNotIn("Severity", text)  # no internal field
        # the token as a path segment works the same
        path = f"/my/ticket/{complaint.id}/{complaint.access_token}"
        self.assertIn(complaint.complaint_ref, self.url_open(path).text)

    def test_persian_complainant_reads_right_to_left_in_jalali(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.customer.lang = "fa_IR"
        complaint = self.new_complaint()
        text = self.url_open(self._path(complaint)).text
        self.assertIn("o_rtl", text)
        jalali = complaint.crm_iso_format_date(
            complaint.complaint_received_date, "fa_IR"
        )
        self.assertTrue(jalali.startswith("۱۴"), jalali)  # Persian digits
        self.assertIn(jalali, text)

    def test_answer_and_ask_for_dispute_resolution_from_the_link(self):
        complaint = self.responded_complaint()
        token = complaint.access_token or complaint._portal_ensure_token()
        page = self.url_open(self._path(complaint)).text
        self.assertIn("I accept this response", page)
        self.assertNotIn("Ask for dispute resolution", page)  # not eligible yet
        answer = self._post(
            complaint, "answer", token, decision="reject", reason="Not enough"
        )
        self.assertEqual(answer.status_code, 200)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.complaint_customer_decision, "rejected")
        self.assertEqual(complaint.complaint_customer_rejection_reason, "Not enough")
        self.assertIn("Ask for dispute resolution", answer.text)
        self.assertNotIn("I accept this response", answer.text)
        asked = self._post(complaint, "dispute", token)
        self.assertEqual(asked.status_code, 200)
        complaint.invalidate_recordset()
        stamp = complaint.complaint_dispute_requested_date
        self.assertTrue(stamp)
        self.assertIn("You asked for external dispute resolution", asked.text)
        self.assertTrue(
            complaint.activity_ids.filtered(
                lambda a: "dispute resolution" in (a.note or "")
            )
        )
        event = self.env["crm.iso.event"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", complaint.id),
                ("event", "=", "dispute_request"),
            ]
        )
        self.assertEqual(len(event), 1)
        # asking twice: a message, nothing changed
        again = self._post(complaint, "dispute", token)
        self.assertIn("already been asked for", again.text)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.complaint_dispute_requested_date, stamp)

    def test_accept_from_the_link(self):
        complaint = self.responded_complaint()
        token = complaint._portal_ensure_token()
        self._post(complaint, "answer", token, decision="accept")
        complaint.invalidate_recordset()
        self.assertEqual(complaint.complaint_customer_decision, "accepted")
        note = complaint.message_ids.filtered(
            lambda m: "accepted the response" in (m.body or "")
        )
        self.assertEqual(note.author_id, self.customer)

    # ------------------------------------------------------------ refused
    def test_wrong_missing_or_renewed_token_is_a_404(self):
        complaint = self.new_complaint()
        path = self._path(complaint)
        token = complaint.access_token
        for url in (
            f"/my/ticket/{complaint.id}?access_token=wrong-{token}",
            f"/my/ticket/{complaint.id}",
            f"/my/ticket/{complaint.id}/wrong",
            f"/my/ticket/{self.other.id}?access_token={token}",
            f"/my/ticket/999999999?access_token={token}",
        ):
            self.assertNotFound(self.url_open(url), complaint)
        with self.assertRaises(UserError):
            complaint.with_user(self.officer).action_renew_tracking_link()
        self.assertEqual(complaint.access_token, token)
        complaint.with_user(self.manager).action_renew_tracking_link()
        self.assertNotEqual(complaint.access_token, token)
        self.assertNotFound(self.url_open(path), complaint)
        self.assertEqual(self.url_open(self._path(complaint)).status_code, 200)

    def test_refused_actions_change_nothing(self):
        complaint = self.responded_complaint()
        token = complaint._portal_ensure_token()
        refused = [
            ("answer", f"wrong-{token}", {"decision": "reject", "reason": "x"}),
            ("answer", "", {"decision": "accept"}),
            ("answer", token, {"decision": "withdraw"}),
            ("dispute", f"wrong-{token}", {}),
        ]
        for action, bad_token, data in refused:
            response = self._post(complaint, action, bad_token, **data)
            self.assertNotFound(response, complaint)
        # the token of one complaint opens no other
        other_token = self.other._portal_ensure_token()
        response = self.url_open(
            f"/complaint/track/{complaint.id}/answer",
            data={
                "csrf_token": self._csrf(self.url_open(self._path(complaint)).text),
                "access_token": other_token,
                "decision": "accept",
            },
        )
        self.assertNotFound(response, complaint)
        # asking for dispute resolution before rejecting: refused with a message
        early = self._post(complaint, "dispute", token)
        self.assertEqual(early.status_code, 200)
        self.assertIn("is not finished", early.text)
        complaint.with_user(self.manager).action_renew_tracking_link()
        old = self._post(complaint, "answer", token, decision="accept")
        self.assertNotFound(old, complaint)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.complaint_customer_decision, "pending")
        self.assertFalse(complaint.complaint_customer_rejection_reason)
        self.assertFalse(complaint.complaint_dispute_requested_date)

    # ------------------------------------------------------------ the link sent
    def test_acknowledgement_mail_and_sms_carry_the_working_link(self):
        self.customer.phone = "+98 912 345 6789"
        complaint = self.new_complaint()
        thread = type(self.env["helpdesk.ticket"])
        with patch.object(thread, "_message_sms", create=True) as sms:
            complaint.with_user(self.officer).action_acknowledge()
        mail = complaint.message_ids.filtered(
            lambda m: "We have received your complaint" in (m.subject or "")
        )
        url = complaint.crm_iso_tracking_url()
        self.assertIn(f'href="{url}"', mail.body)
        href = re.search(r'href="([^"]*access_token=[^"]*)"', mail.body).group(1)
        page = self.url_open(href.replace("&amp;", "&"))
        self.assertEqual(page.status_code, 200)
        self.assertIn(complaint.complaint_ref, page.text)
        sms.assert_called_once()
        self.assertIn(url, sms.call_args.args[0])
        self.assertIn(complaint.complaint_ref, sms.call_args.args[0])
        self.assertEqual(sms.call_args.kwargs["partner_ids"], self.customer.ids)
        self.assertTrue(sms.call_args.kwargs["put_in_queue"])

    def test_sms_queued_where_the_sms_module_is_installed(self):
        # the suite's dependencies bring Odoo's sms module: the test runs, never
        # skips (were sms gone, this says so instead of passing unseen)
        self.assertIn("sms.sms", self.env, "Odoo's sms module is not installed")
        self.customer.phone = "+98 912 345 6789"
        complaint = self.new_complaint()
        complaint.with_user(self.officer).action_acknowledge()
        queued = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(queued), 1)
        self.assertIn(complaint.crm_iso_tracking_url(), queued.body)
        self.assertEqual(queued.state, "outgoing")

    def test_no_sms_without_phone(self):
        complaint = self.new_complaint()
        thread = type(self.env["helpdesk.ticket"])
        with patch.object(thread, "_message_sms", create=True) as sms:
            complaint.with_user(self.officer).action_acknowledge()
        sms.assert_not_called()
