# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import job_runner
from odoo.addons.queue_job.tests.common import trap_jobs

INSPECTOR = "crm_mall_counter.group_qc_inspector"


@tagged("post_install", "-at_install")
class TestQualityControl(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inspector = new_test_user(cls.env, "qc_inspector", groups=INSPECTOR)
        cls.other_inspector = new_test_user(cls.env, "qc_other", groups=INSPECTOR)
        cls.manager = new_test_user(
            cls.env, "qc_manager", groups="crm_mall_counter.group_mall_manager"
        )
        cls.staff = new_test_user(
            cls.env, "qc_staff", groups="crm_mall_counter.group_action_staff"
        )
        cls.template = cls.env["crm.mall.qc.template"].create(
            {
                "name": "Food court round",
                "zone": "Food court",
                "item_ids": [
                    (
                        0,
                        0,
                        {"name": "Tables clean", "answer_type": "yes_no", "weight": 2},
                    ),
                    (0, 0, {"name": "Smell", "answer_type": "rating", "weight": 4}),
                    (
                        0,
                        0,
                        {
                            "name": "Fridge temperature",
                            "answer_type": "number",
                            "weight": 2,
                            "number_min": 0,
                            "number_max": 5,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Photo of the floor",
                            "answer_type": "photo",
                            "weight": 0,
                            "photo_required": True,
                            "mandatory": False,
                        },
                    ),
                    (
                        0,
                        0,
                        {"name": "Remarks", "answer_type": "text", "mandatory": False},
                    ),
                ],
            }
        )
        # a 1x1 PNG
        cls.photo = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
            "hwGA60e6kgAAAABJRU5ErkJggg=="
        )

    def _inspection(self, user=None, **answers):
        inspection = (
            self.env["crm.mall.qc.inspection"]
            .with_user(user or self.inspector)
            .create({"template_id": self.template.id, "zone": "Food court"})
        )
        lines = {line.name: line for line in inspection.line_ids}
        defaults = {
            "Tables clean": {"value_yes_no": "yes"},
            "Smell": {"value_rating": "4"},
            "Fridge temperature": {"value_number": 3, "number_given": True},
            "Photo of the floor": {"photo": self.photo},
        }
        defaults.update(answers)
        for name, values in defaults.items():
            lines[name].write(values)
        return inspection

    def test_score_exact_and_failed_items(self):
        inspection = self._inspection()
        # 2 + 4 x 3/4 + 2 = 7 of 8 points
        self.assertAlmostEqual(inspection.score, 87.5)
        self.assertEqual(inspection.failed_count, 0)
        bad = self._inspection(
            **{
                "Tables clean": {"value_yes_no": "no"},
                "Smell": {"value_rating": "2"},
                "Fridge temperature": {"value_number": 9, "number_given": True},
            }
        )
        # 0 + 4 x 1/4 + 0 = 1 of 8 points
        self.assertAlmostEqual(bad.score, 12.5)
        self.assertEqual(bad.failed_count, 3)

    def test_template_versions_never_change_past_inspections(self):
        inspection = self._inspection()
        self.assertEqual(inspection.template_version, 1)
        self.template.item_ids.filtered(lambda i: i.name == "Smell").write(
            {"weight": 10, "name": "Odour"}
        )
        self.assertEqual(self.template.version, 2)
        names = inspection.line_ids.mapped("name")
        self.assertIn("Smell", names)
        self.assertAlmostEqual(inspection.score, 87.5)
        newer = self.env["crm.mall.qc.inspection"].create(
            {"template_id": self.template.id, "zone": "Food court"}
        )
        self.assertEqual(newer.template_version, 2)
        self.assertIn("Odour", newer.line_ids.mapped("name"))

    def test_submit_checks_and_locks(self):
        inspection = self._inspection(**{"Photo of the floor": {"photo": False}})
        with self.assertRaisesRegex(UserError, "Photo of the floor"):
            inspection.action_submit()
        self.assertEqual(inspection.state, "draft")
        inspection.line_ids.filtered(
            lambda l: l.name == "Photo of the floor"
        ).photo = self.photo
        inspection.line_ids.filtered(lambda l: l.name == "Smell").value_rating = False
        with self.assertRaisesRegex(UserError, "Smell"):
            inspection.action_submit()
        inspection.line_ids.filtered(lambda l: l.name == "Smell").value_rating = "5"
        inspection.action_submit()
        with self.assertRaisesRegex(UserError, "locked"):
            inspection.line_ids[0].write({"value_yes_no": "no"})
        with self.assertRaises(UserError):
            inspection.with_user(self.manager).unlink()

    def test_review_flow_and_action_orders(self):
        inspection = self._inspection(**{"Tables clean": {"value_yes_no": "no"}})
        inspection.action_submit()
        with self.assertRaises(AccessError):
            inspection.with_user(self.staff).read(["score"])
        reviewed = inspection.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "why"):
            reviewed.action_return()
        reviewed.review_comment = "Looks fine"
        reviewed.action_approve()
        self.assertEqual(
            (inspection.state, inspection.reviewer_id), ("approved", self.manager)
        )
        order = reviewed.action_order_from_failed()
        self.assertEqual(order.name, "Tables clean")
        self.assertEqual(order.type_action, "correction")
        self.assertEqual(order.crm_iso_state, "open")
        order.write({"user_id": self.staff.id, "crm_mall_department": "Cleaning"})
        self.assertEqual(reviewed.action_order_from_failed(), order.browse())
        staff_order = order.with_user(self.staff)
        with self.assertRaisesRegex(UserError, "evidence"):
            staff_order.action_crm_iso_done()
        staff_order.write({"crm_mall_evidence": "Cleaned at 14:10"})
        staff_order.action_crm_iso_done()
        with self.assertRaises(UserError):
            order.with_user(self.other_inspector).action_crm_mall_verify()
        order.with_user(self.inspector).action_crm_mall_verify()
        self.assertEqual(
            (order.crm_iso_state, order.crm_iso_effectiveness), ("done", "effective")
        )
        error = self.assertRaisesRegex(ValidationError, "due before")
        with error, self.cr.savepoint():
            self.env["mgmtsystem.action"].create(
                {
                    "name": "Too late",
                    "crm_iso_origin": "qc",
                    "crm_mall_inspection_id": inspection.id,
                    "date_deadline": date.today() - timedelta(days=1),
                }
            )

    def test_overdue_orders_escalate_once(self):
        inspection = self._inspection(**{"Tables clean": {"value_yes_no": "no"}})
        inspection.action_submit()
        order = inspection.with_user(self.manager).action_order_from_failed()
        Order = self.env["mgmtsystem.action"]
        with freeze_time(date.today() + timedelta(days=10)):
            Order._cron_crm_iso_escalate_overdue()
            Order._cron_crm_iso_escalate_overdue()
        self.assertTrue(order.crm_iso_escalated)
        self.assertEqual(len(order.activity_ids), 1)

    def test_overdue_order_escalation_is_one_job(self):
        inspection = self._inspection(**{"Tables clean": {"value_yes_no": "no"}})
        inspection.action_submit()
        order = inspection.with_user(self.manager).action_order_from_failed()
        Order = self.env["mgmtsystem.action"]
        with (
            freeze_time(date.today() + timedelta(days=10)),
            job_runner(self.env),
            trap_jobs() as trap,
        ):
            Order._cron_crm_iso_escalate_overdue()
            Order._cron_crm_iso_escalate_overdue()
            mine = [j for j in trap.enqueued_jobs if j.recordset == order]
            self.assertEqual(len(mine), 1)
            self.assertEqual(mine[0].channel, "root.crm_iso.escalation")
            self.assertEqual(
                mine[0].identity_key, f"crm_iso_complaints.escalate_overdue:{order.id}"
            )
            self.assertFalse(order.activity_ids)
            trap.perform_enqueued_jobs()
            self.assertTrue(order.crm_iso_escalated)
            self.assertEqual(len(order.activity_ids), 1)
            self.assertFalse(order._crm_iso_escalate_overdue(), "re-run: nothing")
        self.assertEqual(len(order.activity_ids), 1)

    def test_repeated_failures_are_flagged(self):
        for _i in range(3):
            inspection = self._inspection(**{"Tables clean": {"value_yes_no": "no"}})
            inspection.action_submit()
        flagged = inspection.line_ids.filtered("repeated_failure")
        self.assertEqual(flagged.name, "Tables clean")

    def test_inspectors_see_their_own(self):
        mine = self._inspection()
        theirs = self._inspection(user=self.other_inspector)
        Inspection = self.env["crm.mall.qc.inspection"]
        self.assertEqual(Inspection.with_user(self.inspector).search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.inspector).read(["score"])
        self.assertEqual(
            Inspection.with_user(self.manager).search_count(
                [("id", "in", (mine | theirs).ids)]
            ),
            2,
        )

    def test_separation_of_duties(self):
        """The inspector does not approve, return, unlock or delete their own
        report; the one who did an action order does not verify it."""
        inspection = self._inspection(**{"Tables clean": {"value_yes_no": "no"}})
        # a draft is not deleted by its own inspector, nor unlocked by anyone
        with self.assertRaisesRegex(UserError, "own inspection"):
            inspection.unlink()
        with self.assertRaises(UserError):
            inspection.with_user(self.other_inspector).action_submit()
        inspection.action_submit()
        self.assertTrue(inspection.submitted_date)
        own_manager = self._inspection(user=self.manager)
        own_manager.action_submit()
        for report, user in ((inspection, self.inspector), (own_manager, self.manager)):
            for method in ("action_approve", "action_reopen_returned"):
                with self.assertRaises(UserError), self.cr.savepoint():
                    getattr(report.with_user(user), method)()
            with self.assertRaises(UserError), self.cr.savepoint():
                report.with_user(user).write({"review_comment": "fine by me"})
            with self.assertRaises(UserError), self.cr.savepoint():
                report.with_user(user).write({"state": "approved"})
        # another inspector is not a reviewer either
        with self.assertRaisesRegex(UserError, "mall manager"):
            inspection.with_user(self.other_inspector).action_approve()
        for user in (self.inspector, self.manager, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError), self.cr.savepoint():
                inspection.with_user(user).unlink()
        self.assertEqual(inspection.state, "submitted")
        # the manager returns, the inspector corrects and resubmits
        reviewed = inspection.with_user(self.manager)
        reviewed.review_comment = "Photograph the tables too"
        reviewed.action_return()
        inspection.line_ids.filtered(lambda l: l.name == "Remarks").value_text = "ok"
        inspection.action_submit()
        reviewed.action_approve()
        self.assertEqual(inspection.reviewer_id, self.manager)
        with self.assertRaisesRegex(UserError, "never unlocked"):
            reviewed.action_reopen_returned()
        # an action order: done by the staff with evidence, verified by another
        order = reviewed.action_order_from_failed()
        order.user_id = self.staff
        close = self.env.ref("mgmtsystem_action.stage_close")
        for values in (
            {"stage_id": close.id},
            {"crm_iso_checked_uid": self.staff.id},
            {"crm_mall_inspection_id": False},
        ):
            with self.assertRaises(UserError), self.cr.savepoint():
                order.with_user(self.staff).write(values)
        with self.assertRaises(UserError):
            order.with_user(self.manager).action_crm_iso_cancel()
        order.with_user(self.inspector).write({"crm_mall_evidence": "Cleaned"})
        order.with_user(self.inspector).action_crm_iso_done()
        self.assertEqual(order.crm_iso_done_uid, self.inspector)
        with self.assertRaisesRegex(UserError, "another person verifies"):
            order.with_user(self.inspector).action_crm_mall_verify()
        with self.assertRaisesRegex(UserError, "kept as it was"):
            order.with_user(self.staff).write({"crm_mall_evidence": False})
        order.with_user(self.manager).action_crm_mall_verify()
        self.assertEqual(
            (order.crm_iso_effectiveness, order.crm_iso_checked_uid),
            ("effective", self.manager),
        )
