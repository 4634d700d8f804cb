# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every PDF report renders through wkhtmltopdf and says what it should."""

import re
import shutil
import subprocess

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestReports(TransactionCase):
    def _pdf_text(self, xmlid, records):
        """The report's text, after checking wkhtmltopdf makes a real PDF of it.

        The text is taken from the report's HTML: Debian's wkhtmltopdf (unpatched
        Qt) draws web fonts as paths, so the PDF has no text layer for pdftotext.
        """
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
        html = report._render_qweb_html(xmlid, records.ids)[0]
        return html.decode()

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
        value = complaint.received_date
        persian = complaint.crm_iso_format_date(value, "fa_IR")
        self.assertTrue(persian.startswith("14"), persian)
        self.assertTrue(complaint.crm_iso_format_date(value, "en_US").startswith("20"))
