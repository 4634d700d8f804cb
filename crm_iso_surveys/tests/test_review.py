# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The management review's satisfaction inputs are get_kpis' figures."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_iso_complaints.tools import clock

from .common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestReviewSatisfactionInputs(SatisfactionCase):
    def test_pull_stores_the_plan_kpis_against_its_targets(self):
        self.plan.write({"csat_target": 50.0, "nps_target": 90.0, "ces_target": 3.0})
        self.respond({self.q_csat: 5, self.q_nps: 10, self.q_ces: 2})
        self.respond({self.q_csat: 4, self.q_nps: 9, self.q_ces: 3})
        self.respond({self.q_csat: 1, self.q_nps: 2, self.q_ces: 6})
        today = clock.local_date(clock.company_tz(self.env.company))
        review = self.env["mgmtsystem.review"].create(
            {
                "name": "Review",
                "date": fields.Datetime.now(),
                "crm_iso_date_from": today - timedelta(days=7),
                "crm_iso_date_to": today,
            }
        )
        review.action_crm_iso_pull_inputs()
        rows = {row.code: row for row in review.crm_iso_input_ids}
        start, end = review._crm_iso_bounds(today - timedelta(days=7), today)
        kpis = {
            row["key"]: row
            for row in self.env["crm.iso.satisfaction.report"].get_kpis(
                [
                    ("company_id", "=", self.env.company.id),
                    ("date", ">=", start),
                    ("date", "<", end),
                ],
                "plan_id",
            )
        }[self.plan.id]
        code = f"satisfaction.{self.plan.id}"
        self.assertEqual(rows[f"{code}.responses"].value, kpis["responses"])
        self.assertEqual(kpis["responses"], 3)
        for kpi in ("csat", "nps", "ces", "index"):
            self.assertAlmostEqual(
                rows[f"{code}.{kpi}"].value, kpis[kpi] or 0.0, places=2, msg=kpi
            )
        csat, nps, ces = (rows[f"{code}.{k}"] for k in ("csat", "nps", "ces"))
        self.assertEqual(csat.section, "satisfaction")
        self.assertEqual(csat.target, 50.0)
        self.assertEqual(csat.status, "met" if kpis["csat"] >= 50 else "missed")
        self.assertEqual(nps.status, "missed")  # far from 90
        self.assertEqual(ces.status, "met" if kpis["ces"] <= 3.0 else "missed")
        self.assertIn("actions.improvement_open", rows)
