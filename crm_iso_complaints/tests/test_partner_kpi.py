# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MONDAY_10, ComplaintCase


@tagged("post_install", "-at_install")
class TestPartnerAndKpis(ComplaintCase):
    def test_partner_complaint_history_and_repeat_flag(self):
        self.env.company.write(
            {"crm_iso_repeat_complaint_count": 3, "crm_iso_repeat_complaint_days": 30}
        )
        with freeze_time(datetime(2026, 9, 1, 10, 0)):
            self.new_complaint()  # outside the 30-day window
        with freeze_time(MONDAY_10):
            first = self.new_complaint()
            self.new_complaint()
        partner = self.customer.with_user(self.officer)
        with freeze_time(MONDAY_10):
            self.assertEqual(partner.complaint_count, 3)
            self.assertEqual(partner.open_complaint_count, 3)
            self.assertEqual(partner.last_complaint_date, MONDAY_10)
            self.assertFalse(partner.is_repeat_complainant)
            self.advance(first, "acknowledged")
            first.with_user(self.manager)._crm_iso_reject_with_reason("Not a complaint")
            self.new_complaint()
            partner.invalidate_recordset()
            self.assertEqual(partner.complaint_count, 4)
            self.assertEqual(partner.open_complaint_count, 3)
            self.assertTrue(partner.is_repeat_complainant)
            Partner = self.env["res.partner"].with_user(self.officer)
            self.assertIn(
                partner, Partner.search([("is_repeat_complainant", "=", True)])
            )
            self.assertNotIn(
                partner, Partner.search([("is_repeat_complainant", "=", False)])
            )
        action = partner.action_view_complaints()
        self.assertEqual(self.env["helpdesk.ticket"].search_count(action["domain"]), 4)

    def test_kpis_per_category_with_medians(self):
        other = self.env["helpdesk.ticket.category"].create(
            {"name": "Other complaints"}
        )
        with freeze_time(MONDAY_10):
            quick = self.new_complaint()
            slow = self.new_complaint()
            late = self.new_complaint()
            elsewhere = self.new_complaint(category_id=other.id)
        with freeze_time(datetime(2026, 11, 23, 12, 0)):
            quick.with_user(self.officer).action_acknowledge()  # 2h
        with freeze_time(datetime(2026, 11, 23, 16, 0)):
            slow.with_user(self.officer).action_acknowledge()  # 6h
        with freeze_time(datetime(2026, 11, 24, 15, 0)):
            late.with_user(self.officer).action_acknowledge()  # 13h, late
        self.env.flush_all()
        Report = self.env["crm.iso.complaint.report"].with_user(self.manager)
        rows = {
            row["key"]: row
            for row in Report.get_kpis(
                [("ticket_id", "in", (quick | slow | late | elsewhere).ids)],
                "category_id",
            )
        }
        mine = rows[self.category.id]
        self.assertEqual(mine["count"], 3)
        self.assertAlmostEqual(mine["ack_avg"], 7.0)
        self.assertAlmostEqual(mine["ack_median"], 6.0)
        self.assertAlmostEqual(mine["ack_in_time_pct"], 200 / 3)
        self.assertEqual(rows[other.id]["count"], 1)
        self.assertIsNone(rows[other.id]["ack_median"])
        # the same measures in the pivot (read_group) view
        groups = Report.formatted_read_group(
            [("category_id", "=", self.category.id)],
            ["category_id"],
            ["nbr:sum", "complaint_ack_work_hours:avg", "ack_in_time_pct:avg"],
        )
        self.assertEqual(groups[0]["nbr:sum"], 3)
        self.assertAlmostEqual(groups[0]["complaint_ack_work_hours:avg"], 7.0)
        by_month = Report.get_kpis([("ticket_id", "in", quick.ids)], "month")
        self.assertEqual(by_month[0]["key"].date().isoformat(), "2026-11-01")

    def test_kpi_query_is_one_query(self):
        with freeze_time(MONDAY_10):
            self.new_complaint()
        self.env.flush_all()
        Report = self.env["crm.iso.complaint.report"]
        Report.get_kpis([], "team_id")
        with self.assertQueryCount(1):
            Report.get_kpis([], "team_id")
