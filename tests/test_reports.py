# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every PDF report renders through wkhtmltopdf and says what it should."""

import base64
import io
import re
import shutil
import subprocess

import qrcode
from PIL import Image

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestReports(TransactionCase):
    def _pdf_info(self, xmlid, records):
        """What pdfinfo says of the report's PDF, after checking it is a real one."""
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(xmlid, records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(shutil.which("pdfinfo"), "poppler-utils is needed")
        info = subprocess.run(
            ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        self.assertGreaterEqual(pages, 1)
        return info

    def _pdf_text(self, xmlid, records):
        """The report's text, after checking wkhtmltopdf makes a real PDF of it.

        The text is taken from the report's HTML: Debian's wkhtmltopdf (unpatched
        Qt) draws web fonts as paths, so the PDF has no text layer for pdftotext.
        """
        self._pdf_info(xmlid, records)
        html = self.env["ir.actions.report"]._render_qweb_html(xmlid, records.ids)[0]
        return html.decode()

    def assertQrEncodes(self, html, data):
        """The receipt's QR image draws exactly the QR code of ``data``."""
        src = re.search(
            r'o_crm_iso_receipt_qr"[^>]*src="data:image/png;base64,([^"]+)"', html
        )
        if not src:
            src = re.search(
                r'src="data:image/png;base64,([^"]+)"[^>]*o_crm_iso_receipt_qr', html
            )
        image = Image.open(io.BytesIO(base64.b64decode(src.group(1)))).convert("L")
        code = qrcode.QRCode(border=0)
        code.add_data(data)
        code.make(fit=True)
        expected = code.get_matrix()
        size = len(expected)
        border = next(b for b in range(5) if image.width % (size + 2 * b) == 0)
        box = image.width // (size + 2 * border)
        drawn = [
            [
                image.getpixel(
                    ((border + x) * box + box // 2, (border + y) * box + box // 2)
                )
                < 128
                for x in range(size)
            ]
            for y in range(size)
        ]
        self.assertEqual(drawn, expected)

    def test_complaint_receipt_for_an_80mm_printer(self):
        """Reference, received on (Jalali in Persian), promised date, QR of the link."""
        complaint = self.env.ref("crm_iso_complaints.demo_complaint_closed")
        self.assertTrue(complaint.complaint_resolve_deadline)
        xmlid = "crm_iso_complaints.action_report_complaint_receipt"
        complaint.partner_id.lang = "en_US"
        info = self._pdf_info(xmlid, complaint)
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        self.assertAlmostEqual(float(size.group(1)) * 25.4 / 72, 80, delta=1)
        self.assertAlmostEqual(float(size.group(2)) * 25.4 / 72, 150, delta=1)
        text = self._pdf_text(xmlid, complaint)
        self.assertIn(complaint.complaint_ref, text)
        self.assertIn('dir="ltr"', text)
        received = re.search(r"o_crm_iso_receipt_received[^>]*>([^<]+)<", text)
        self.assertRegex(received.group(1), r"^20\d\d-\d\d-\d\d \d\d:\d\d$")
        promised = re.search(r"o_crm_iso_receipt_deadline[^>]*>([^<]+)<", text)
        self.assertEqual(
            promised.group(1),
            complaint.crm_iso_format_date(
                complaint.complaint_resolve_deadline, "en_US"
            ),
        )
        url = complaint.crm_iso_tracking_url()
        self.assertIn(f'data-tracking-url="{url}"', text)
        self.assertQrEncodes(text, url)
        # the same receipt for a Persian complainant: right to left, Jalali
        self.env["res.lang"]._activate_lang("fa_IR")
        complaint.partner_id.lang = "fa_IR"
        text = self._pdf_text(xmlid, complaint)
        self.assertIn('dir="rtl"', text)
        received = re.search(r"o_crm_iso_receipt_received[^>]*>([^<]+)<", text)
        self.assertRegex(
            received.group(1), r"^۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}$"
        )
        self.assertIn(complaint.complaint_ref, text)

    def test_complaint_and_dispute_files(self):
        complaint = self.env.ref("crm_iso_complaints.demo_complaint_closed")
        text = self._pdf_text(
            "crm_iso_complaints.action_report_complaint_file", complaint
        )
        self.assertIn(complaint.complaint_ref, text)
        self.assertIn("Gift card not accepted", text)
        self.assertIn("History", text)
        dispute = self.env["crm.iso.dispute"].search([], limit=1)
        text = self._pdf_text("crm_iso_complaints.action_report_dispute_file", dispute)
        self.assertIn(dispute.name, text)
        self.assertIn("Tehran Consumer Mediation Centre", text)

    def test_satisfaction_report(self):
        plan = self.env.ref("crm_iso_surveys.plan_after_complaint")
        text = self._pdf_text("crm_iso_surveys.action_report_satisfaction", plan)
        self.assertIn("Satisfaction after a complaint", text)
        self.assertIn("NPS", text)

    def test_qc_shift_report_and_management_review(self):
        template = self.env["crm.mall.qc.template"].create(
            {
                "name": "Round",
                "item_ids": [(0, 0, {"name": "Floor clean", "answer_type": "yes_no"})],
            }
        )
        inspection = self.env["crm.mall.qc.inspection"].create(
            {"template_id": template.id, "zone": "Food court"}
        )
        inspection.line_ids.value_yes_no = "no"
        inspection.action_submit()
        text = self._pdf_text("crm_mall_counter.action_report_qc_shift", inspection)
        self.assertIn("Food court", text)
        self.assertIn("Floor clean", text)
        # the cockpit's management review: a mgmtsystem.review and its inputs
        cockpit = self.env["crm.mall.cockpit"].create({"period": "month"})
        review = cockpit._review()
        text = self._pdf_text(
            "crm_iso_complaints.action_report_management_review", review
        )
        self.assertIn("Management review", text)
        self.assertIn(review.reference, text)
        for row in review.crm_iso_input_ids.filtered(
            lambda r: r.code in ("complaints.received", "qc.inspections")
        ):
            self.assertIn(row.indicator, text)
            self.assertIn(row.value_display, text)
        self.assertIn("Complaints (ISO 10002)", text)
        self.assertIn("Quality control of the mall", text)
        self.assertIn("Customer satisfaction (ISO 10004)", text)

    def test_jalali_dates_for_persian_readers(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        complaint = self.env.ref("crm_iso_complaints.demo_complaint_closed")
        value = complaint.complaint_received_date
        persian = complaint.crm_iso_format_date(value, "fa_IR")
        self.assertTrue(persian.startswith("۱۴"), persian)  # Persian digits
        self.assertTrue(complaint.crm_iso_format_date(value, "en_US").startswith("20"))
