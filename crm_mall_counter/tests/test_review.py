# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cockpit's management review: a mgmtsystem.review with the QC inputs."""

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCockpitReview(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            "review_mall_manager",
            groups="crm_mall_counter.group_mall_manager",
            tz="UTC",
        )
        template = cls.env["crm.mall.qc.template"].create(
            {
                "name": "Round",
                "item_ids": [(0, 0, {"name": "Floor clean", "answer_type": "yes_no"})],
            }
        )
        cls.inspection = cls.env["crm.mall.qc.inspection"].create(
            {"template_id": template.id, "zone": "Food court"}
        )
        cls.inspection.line_ids.value_yes_no = "no"
        cls.inspection.action_submit()

    def test_cockpit_opens_a_review_with_its_inputs_and_prints_it(self):
        cockpit = self.env["crm.mall.cockpit"].with_user(self.manager).create({})
        action = cockpit.action_print_review()
        self.assertEqual(
            action["report_name"], "crm_iso_complaints.report_management_review"
        )
        review = self.env["mgmtsystem.review"].browse(action["context"]["active_ids"])
        self.assertEqual(review.crm_iso_date_from, cockpit._start_date())
        self.assertEqual(review.crm_iso_date_to, cockpit._today())
        rows = {row.code: row for row in review.crm_iso_input_ids}
        count, score = self.env["crm.mall.qc.inspection"]._read_group(
            [
                ("company_id", "=", review.company_id.id),
                ("competitor_id", "=", False),
                ("date", ">=", review.crm_iso_date_from),
                ("date", "<=", review.crm_iso_date_to),
                ("state", "!=", "draft"),
            ],
            [],
            ["__count", "score:avg"],
        )[0]
        self.assertGreaterEqual(count, 1)
        self.assertEqual(rows["qc.inspections"].value, count)
        self.assertAlmostEqual(rows["qc.score"].value, score, places=2)
        orders = self.env["mgmtsystem.action"].search_count(
            [
                ("company_id", "=", review.company_id.id),
                ("crm_iso_origin", "=", "qc"),
                ("stage_id.is_ending", "=", False),
            ]
        )
        self.assertEqual(rows["qc.orders_open"].value, orders)
        sections = set(review.crm_iso_input_ids.mapped("section"))
        self.assertTrue(
            {"complaints", "disputes", "conduct", "satisfaction", "qc", "actions"}
            <= sections
        )
        # the same period again: the same open review, pulled again
        again = cockpit.action_print_review()
        self.assertEqual(again["context"]["active_ids"], review.ids)
        # once closed, it is printed as it was presented
        review.button_close()
        pulled = review.crm_iso_pulled_date
        third = cockpit.action_print_review()
        self.assertEqual(third["context"]["active_ids"], review.ids)
        self.assertEqual(review.crm_iso_pulled_date, pulled)
