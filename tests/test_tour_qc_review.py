# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A senior manager reviews a QC report and orders an action, in a real browser."""

from datetime import date, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

INSPECTOR = "crm_mall_counter.group_qc_inspector"
MANAGER = "crm_mall_counter.group_mall_manager"
STAFF = "crm_mall_counter.group_action_staff"
# what crm_mall_counter/static/tests/tours/qc_review_tour.js types
COMMENT = "The tables were dirty at noon."
ORDER = "Clean and disinfect every food court table"


@tagged("post_install", "-at_install")
class TestQcReviewTour(HttpCase):
    def setUp(self):
        super().setUp()
        self.inspector = new_test_user(
            self.env, "qc_tour_inspector", groups=INSPECTOR, name="Tour Inspector"
        )
        # the password of a test user is its login (8 characters at least)
        self.manager = new_test_user(
            self.env, "qc_tour_manager", groups=MANAGER, name="Tour Manager"
        )
        self.staff = new_test_user(
            self.env, "qc_tour_staff", groups=STAFF, name="Tour Cleaning Staff"
        )
        template = self.env["crm.mall.qc.template"].create(
            {
                "name": "Tour food court round",
                "item_ids": [
                    (0, 0, {"name": "Tables clean", "answer_type": "yes_no"}),
                    (0, 0, {"name": "Smell", "answer_type": "rating", "weight": 2}),
                    (
                        0,
                        0,
                        {
                            "name": "Fridge temperature",
                            "answer_type": "number",
                            "number_min": 0,
                            "number_max": 5,
                        },
                    ),
                ],
            }
        )
        self.inspection = (
            self.env["crm.mall.qc.inspection"]
            .with_user(self.inspector)
            .create({"template_id": template.id, "zone": "Tour food court"})
        )
        answers = {
            "Tables clean": {"value_yes_no": "no"},
            "Smell": {"value_rating": "4"},
            "Fridge temperature": {"value_number": 3, "number_given": True},
        }
        for line in self.inspection.line_ids:
            line.write(answers[line.name])
        self.inspection.action_submit()
        self.inspection = self.inspection.with_user(self.env.user)
        self.assertEqual(
            (self.inspection.state, self.inspection.failed_count), ("submitted", 1)
        )

    def test_manager_reviews_and_orders_an_action(self):
        first_day = date.today()
        self.start_tour(
            "/odoo/mall-cockpit", "crm_mall_qc_review_tour", login="qc_tour_manager"
        )
        # the tour gives a week from the day it ran
        week = {first_day + timedelta(days=7), date.today() + timedelta(days=7)}
        inspection = self.inspection
        self.assertEqual(inspection.state, "approved")
        self.assertEqual(inspection.reviewer_id, self.manager)
        self.assertEqual(inspection.review_comment, COMMENT)
        review = inspection.message_ids.filtered(
            lambda m: m.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "state" and t.new_value_char == "Approved"
            )
        )
        self.assertEqual(review.author_id, self.manager.partner_id)
        self.assertIn(review.date.date(), {first_day, date.today()})
        order = self.env["mgmtsystem.action"].search(
            [("crm_mall_inspection_id", "=", inspection.id)]
        )
        self.assertEqual(len(order), 1)
        failed = inspection.line_ids.filtered("failed")
        self.assertEqual(failed.name, "Tables clean")
        self.assertEqual(order.crm_mall_line_id, failed)
        self.assertEqual(order.name, ORDER)
        self.assertEqual(order.crm_iso_origin, "qc")
        self.assertEqual(order.user_id, self.staff)
        self.assertIn(order.date_deadline, week)
        self.assertEqual(order.crm_iso_state, "open")
        self.assertEqual(order.create_uid, self.manager)
