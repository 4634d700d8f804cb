# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import ComplaintCase

from .common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestKpis(SatisfactionCase):
    def test_kpis_by_touchpoint_and_month(self):
        web = self.env.ref("crm_iso_complaints.touchpoint_web")
        with freeze_time(datetime(2026, 10, 10)):
            for nps in (10, 9, 3):
                self.respond(
                    {self.q_nps: nps, self.q_csat: 5}, crm_iso_touchpoint_id=web.id
                )
        with freeze_time(datetime(2026, 11, 10)):
            self.respond(
                {self.q_nps: 8, self.q_csat: 2, self.q_ces: 5},
                crm_iso_touchpoint_id=self.touchpoint.id,
            )
            self.respond({}, done=False, crm_iso_touchpoint_id=self.touchpoint.id)
        self.env.flush_all()
        Report = self.env["crm.iso.satisfaction.report"].with_user(self.analyst)
        domain = [("plan_id", "=", self.plan.id)]
        self.env.invalidate_all()  # cold caches: nothing may query between fetches
        rows = {r["key"]: r for r in Report.get_kpis(domain, "crm_iso_touchpoint_id")}
        online = rows[web.id]
        self.assertEqual(online["responses"], 3)
        self.assertAlmostEqual(online["nps"], 100 * (2 - 1) / 3)
        self.assertEqual(online["csat"], 100.0)
        self.assertTrue(online["small_sample"], "3 < 30 responses")
        counter = rows[self.touchpoint.id]
        self.assertEqual((counter["sent"], counter["responses"]), (2, 1))
        self.assertEqual(counter["response_rate"], 50.0)
        self.assertEqual(counter["nps"], 0.0)
        self.assertEqual(counter["csat"], 0.0)
        self.assertEqual(counter["ces"], 5.0)
        months = Report.get_kpis(domain + [("done", "=", True)], "month")
        self.assertEqual([m["responses"] for m in months], [3, 1])
        self.assertAlmostEqual(months[1]["trend"]["nps"], 0 - 100 / 3)
        # the pivot's averages are the same KPIs
        (group,) = Report.formatted_read_group(
            domain + [("crm_iso_touchpoint_id", "=", web.id)],
            [],
            ["nps:avg", "csat:avg", "nbr:sum"],
        )
        self.assertAlmostEqual(group["nps:avg"], 100 / 3)
        self.assertEqual(group["nbr:sum"], 3)

    def test_kpis_take_one_query(self):
        self.respond({self.q_nps: 9})
        self.env.flush_all()
        Report = self.env["crm.iso.satisfaction.report"]
        Report.get_kpis([], "week")
        with self.assertQueryCount(1):
            Report.get_kpis([], "quarter")

    def test_bad_metric_questions(self):
        Question = self.env["survey.question"]
        bad = [
            {"question_type": "text_box", "crm_iso_metric": "nps"},
            {
                "question_type": "scale",
                "scale_min": 1,
                "scale_max": 5,
                "crm_iso_metric": "nps",
            },
            {
                "question_type": "scale",
                "scale_min": 0,
                "scale_max": 10,
                "crm_iso_metric": "ces",
            },
            {
                "question_type": "scale",
                "scale_min": 1,
                "scale_max": 5,
                "crm_iso_metric": "driver",
                "crm_iso_weight": -1,
            },
        ]
        before = Question.search_count([])
        for vals in bad:
            with self.assertRaises(ValidationError), self.cr.savepoint():
                Question.create({"survey_id": self.survey.id, "title": "Bad", **vals})
        with (
            self.assertRaisesRegex(ValidationError, "sum to zero"),
            self.cr.savepoint(),
        ):
            (self.q_staff | self.q_place).write({"crm_iso_weight": 0})
        self.assertEqual(Question.search_count([]), before)
        self.assertEqual(self.q_staff.crm_iso_weight, 3)

    def test_answer_outside_the_scale_is_refused(self):
        Line = self.env["survey.user_input.line"]
        response = self.respond({}, done=False)
        before = Line.search_count([])
        for value in (11, -1):
            error = self.assertRaisesRegex(ValidationError, "outside the scale")
            with error, self.cr.savepoint():
                self.respond({self.q_nps: value}, done=False)
        self.assertEqual(Line.search_count([]), before)
        self.assertFalse(response.user_input_line_ids)

    def test_bad_plans(self):
        Plan = self.env["crm.iso.measurement.plan"].with_user(self.manager)
        before = Plan.search_count([])
        error = self.assertRaisesRegex(ValidationError, "at least one survey")
        with error, self.cr.savepoint():
            Plan.create({"name": "No survey"})
        for field, value in (
            ("nps_target", 120),
            ("csat_target", -5),
            ("ces_target", 9),
        ):
            with (
                self.assertRaisesRegex(ValidationError, "between"),
                self.cr.savepoint(),
            ):
                Plan.create(
                    {"name": "x", "survey_ids": [(6, 0, self.survey.ids)], field: value}
                )
        self.assertEqual(Plan.search_count([]), before)

    def test_access(self):
        portal = new_test_user(self.env, "s_portal", groups="base.group_portal")
        employee = new_test_user(self.env, "s_employee", groups="base.group_user")
        complaint_manager = new_test_user(
            self.env, "s_cmanager", groups="crm_iso_complaints.group_complaint_manager"
        )
        Report = self.env["crm.iso.satisfaction.report"]
        for user in (portal, employee):
            with self.assertRaises(AccessError):
                Report.with_user(user).get_kpis()
            with self.assertRaises(AccessError):
                self.env["crm.iso.measurement.plan"].with_user(user).search([])
        Report.with_user(complaint_manager).get_kpis()
        Report.with_user(self.analyst).get_kpis()
        with self.assertRaises(AccessError):
            self.plan.with_user(self.analyst).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.plan.with_user(complaint_manager).write({"name": "x"})
        self.plan.with_user(self.manager).write({"sample_target": 10})

    def test_improvement_action_keeps_kpi_before_and_after(self):
        for nps in (10, 2):
            self.respond({self.q_nps: nps})
        action = (
            self.env["mgmtsystem.action"]
            .with_user(self.analyst)
            .create(
                {
                    "name": "Train the counter staff",
                    "crm_iso_origin": "satisfaction",
                    "crm_iso_plan_id": self.plan.id,
                    "crm_iso_kpi": "nps",
                }
            )
        )
        self.assertEqual(action.type_action, "improvement")
        self.assertEqual(action.crm_iso_kpi_before, 0.0)
        self.respond({self.q_nps: 10})
        # the analyst who raised it neither approves it nor forges the figures
        with self.assertRaisesRegex(UserError, "survey manager"):
            action.with_user(self.analyst).action_crm_iso_approve()
        open_stage = self.env.ref("mgmtsystem_action.stage_open")
        for values in ({"stage_id": open_stage.id}, {"crm_iso_kpi_before": 80.0}):
            with self.assertRaises(UserError), self.cr.savepoint():
                action.with_user(self.analyst).write(values)
        with self.assertRaises(UserError):
            action.with_user(self.analyst).action_crm_iso_done()  # not approved yet
        with self.assertRaises(UserError):
            action.with_user(self.analyst).action_crm_iso_start()  # approval does
        action.with_user(self.manager).action_crm_iso_approve()
        self.assertEqual(action.crm_iso_approved_uid, self.manager)
        self.assertEqual(action.stage_id, open_stage)
        action.with_user(self.analyst).action_crm_iso_done()
        with self.assertRaisesRegex(UserError, "survey manager"):
            action.with_user(self.analyst).action_crm_iso_review()
        action.with_user(self.manager).action_crm_iso_review()
        self.assertAlmostEqual(action.crm_iso_kpi_after, 100 / 3)
        self.assertEqual(action.crm_iso_checked_uid, self.manager)
        # a survey manager does not approve their own action
        own = (
            self.env["mgmtsystem.action"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Mine",
                    "crm_iso_origin": "satisfaction",
                    "crm_iso_plan_id": self.plan.id,
                    "crm_iso_kpi": "csat",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "another survey manager"):
            own.action_crm_iso_approve()


@tagged("post_install", "-at_install")
class TestClosedLoop(ComplaintCase, SatisfactionCase):
    def test_closed_complaint_gets_a_survey_and_detractors_a_call(self):
        self.plan.write(
            {"post_resolution": True, "owner_id": self.manager.id, "sequence": 1}
        )
        complaint = self.closed_complaint(crm_iso_touchpoint_id=self.touchpoint.id)
        invitation = self.env["survey.user_input"].search(
            [("crm_iso_complaint_id", "=", complaint.id)]
        )
        self.assertEqual(invitation.partner_id, self.customer)
        self.assertEqual(invitation.crm_iso_channel, "email")
        self.assertEqual(invitation.crm_iso_plan_id, self.plan)
        self.assertEqual(invitation.crm_iso_touchpoint_id, self.touchpoint)
        self.assertEqual(invitation.state, "new")
        self.assertTrue(invitation.message_ids.filtered(lambda m: m.partner_ids))
        # the complainant answers as a detractor: the plan owner must follow up
        self.env["survey.user_input.line"].create(
            {
                "user_input_id": invitation.id,
                "question_id": self.q_nps.id,
                "answer_type": "scale",
                "value_scale": 2,
            }
        )
        invitation._mark_done()
        activity = self.customer.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("Low satisfaction", activity.summary)

    def test_no_email_queues_for_the_kiosk(self):
        self.plan.write({"post_resolution": True, "sequence": 1})
        walk_in = self.env["res.partner"].create({"name": "Walk-in"})
        complaint = self.responded_complaint(partner_id=walk_in.id)
        self.advance(complaint, "closed")
        queued = self.env["survey.user_input"].search(
            [("crm_iso_complaint_id", "=", complaint.id)]
        )
        self.assertEqual(queued.crm_iso_channel, "kiosk")

    def test_repeated_low_scores_put_a_customer_at_risk(self):
        self.env.company.write(
            {"crm_iso_at_risk_low_count": 2, "crm_iso_at_risk_days": 30}
        )
        partner = self.env["res.partner"].create({"name": "Maryam"})
        with freeze_time(datetime(2026, 6, 1)):
            self.respond({self.q_nps: 10}, partner=partner)
        self.assertEqual(partner.crm_iso_loyalty_segment, "champion")
        with freeze_time(datetime(2026, 9, 1)):
            self.respond({self.q_nps: 1}, partner=partner)
        self.assertEqual(partner.crm_iso_loyalty_segment, "loyal")
        self.assertEqual(partner.crm_iso_nps_class, "detractor")
        with freeze_time(datetime(2026, 9, 10)):
            self.respond({self.q_csat: 1}, partner=partner)
        self.assertTrue(partner.crm_iso_at_risk)
        self.assertEqual(partner.crm_iso_response_count, 3)
        with freeze_time(datetime(2028, 1, 1)):
            partner._crm_iso_refresh_loyalty()
        self.assertEqual(partner.crm_iso_loyalty_segment, "lost")
        at_risk_list = self.env["res.partner"].search(
            [("crm_iso_loyalty_segment", "=", "lost")]
        )
        self.assertIn(partner, at_risk_list)
