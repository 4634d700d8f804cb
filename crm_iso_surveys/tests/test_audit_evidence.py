# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The surveys' evidence of the ISO 10002 audit (#27 part 4): the
complainants' satisfaction with the complaints-handling process, the CSAT of
the answers given after a complaint (the satisfaction KPIs' own figure)."""

from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.crm_iso_complaints.tests.common import ComplaintCase
from odoo.addons.crm_iso_complaints.tools import audit_scoring, clock

from .common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestAuditEvidence(ComplaintCase, SatisfactionCase):
    def test_process_satisfaction_is_the_csat_after_complaints(self):
        today = clock.local_date(clock.company_tz(self.env.company))
        audit = self.env["mgmtsystem.audit"].create(
            {
                "name": "ISO 10002",
                "crm_iso_is_10002": True,
                "crm_iso_date_from": today - timedelta(days=30),
                "crm_iso_date_to": today,
            }
        )
        complaint = self.new_complaint()

        def csat():
            start, end = self.env["mgmtsystem.review"]._crm_iso_bounds(
                audit.crm_iso_date_from, audit.crm_iso_date_to
            )
            return self.env["crm.iso.satisfaction.report"].get_kpis(
                [
                    ("company_id", "=", self.env.company.id),
                    ("complaint_id", "!=", False),
                    ("date", ">=", start),
                    ("date", "<", end),
                ]
            )[0]["csat"]

        self.respond({self.q_csat: 5}, crm_iso_complaint_id=complaint.id)
        audit.action_crm_iso_prefill()
        line = audit.line_ids.filtered(
            lambda line: line.crm_iso_code == "process_satisfaction"
        )
        before = csat()
        self.assertTrue(line.crm_iso_prefilled)
        self.assertEqual(line.crm_iso_prefill_score, audit_scoring.share_score(before))
        # an unhappy complainant: the score follows the KPI down
        self.respond({self.q_csat: 1}, crm_iso_complaint_id=complaint.id)
        audit.action_crm_iso_prefill()
        self.assertLess(csat(), before)
        self.assertEqual(line.crm_iso_prefill_score, audit_scoring.share_score(csat()))
