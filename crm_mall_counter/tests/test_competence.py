# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staff competence: required trainings, the matrix, and "no valid
certification, no work" (shifts, calls, inspections, complaints) through the
real external API (/jsonrpc execute_kw), re-reading the data after each refusal."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import execute_kw

from ..demo import generator
from ..demo.generator import pass_certification

PASSWORD = "Competence-2026!"
GROUPS = {
    "agent": "crm_mall_counter.group_counter_agent",
    "caller": "crm_mall_counter.group_call_centre_agent",
    "inspector": "crm_mall_counter.group_qc_inspector",
    "officer": "crm_iso_complaints.group_complaint_user",
    "supervisor": "crm_mall_counter.group_counter_supervisor",
    "manager": "crm_iso_complaints.group_complaint_manager",
}


@tagged("post_install", "-at_install")
class TestCompetence(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # the company's own trainings (the demo's, if any) give way to ours
        cls.env["crm.mall.training"].search([]).write({"active": False})
        cls.company.crm_mall_competence_required = True
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "Counter basics",
                "scoring_type": "scoring_with_answers",
                "scoring_success_min": 80,
                "certification": True,
                "question_and_page_ids": [
                    fields.Command.create(
                        {
                            "title": "First thing to do?",
                            "question_type": "simple_choice",
                            "suggested_answer_ids": [
                                fields.Command.create({"value": "Wait"}),
                                fields.Command.create(
                                    {
                                        "value": "Listen",
                                        "is_correct": True,
                                        "answer_score": 10,
                                    }
                                ),
                            ],
                        }
                    )
                ],
            }
        )
        cls.trainings = {
            role: cls.env["crm.mall.training"].create(
                {
                    "name": f"Training for {role}",
                    "role": role,
                    "survey_id": cls.survey.id,
                    "validity_months": 12,
                }
            )
            for role in (
                "counter_agent",
                "call_centre_agent",
                "qc_inspector",
                "complaint_officer",
            )
        }
        cls.users = {}
        for key, group in GROUPS.items():
            for suffix in ("ok", "no"):
                cls.users[f"{key}_{suffix}"] = new_test_user(
                    cls.env, f"comp_{key}_{suffix}", groups=group, password=PASSWORD
                )
        cls.now = fields.Datetime.now()
        for key in GROUPS:
            pass_certification(
                cls.env,
                cls.survey,
                cls.users[f"{key}_ok"].partner_id,
                cls.now - timedelta(days=30),
            )
        # passed long ago: expired
        cls.agent_old = new_test_user(
            cls.env, "comp_agent_old", groups=GROUPS["agent"], password=PASSWORD
        )
        pass_certification(
            cls.env, cls.survey, cls.agent_old.partner_id, cls.now - timedelta(days=400)
        )
        cls.counter = cls.env["crm.mall.counter"].create(
            {
                "name": "Competence desk",
                "code": "COMP",
                "supervisor_ids": [(6, 0, cls.users["supervisor_ok"].ids)],
            }
        )

    def execute(self, user, model, method, *args, **kwargs):
        result, error = execute_kw(self, user, PASSWORD, model, method, args, kwargs)
        return result, error and error.rsplit(".", 1)[-1]

    def shift_vals(self, user, days=0):
        start = self.now + timedelta(days=days)
        return {
            "user_id": user.id,
            "counter_id": self.counter.id,
            "date": fields.Date.to_string(start.date()),
            "start": fields.Datetime.to_string(start),
            "stop": fields.Datetime.to_string(start + timedelta(hours=4)),
        }

    def shifts_of(self, user):
        self.env.invalidate_all()
        return self.env["crm.mall.shift"].search([("user_id", "=", user.id)])

    # ------------------------------------------------------------ the matrix
    def test_matrix_and_user_tab(self):
        Competence = self.env["crm.mall.competence"]
        ok = Competence.search(
            [
                ("user_id", "=", self.users["agent_ok"].id),
                ("training_id", "=", self.trainings["counter_agent"].id),
            ]
        )
        self.assertEqual(ok.state, "valid")
        self.assertTrue(ok.in_role)
        passed = (self.now - timedelta(days=30)).date()
        self.assertEqual(ok.expiry_date.year, passed.year + 1)
        self.assertEqual(ok.expiry_date.month, passed.month)
        states = {
            row.user_id: row.state
            for row in Competence.search(
                [("training_id", "=", self.trainings["counter_agent"].id)]
            )
        }
        self.assertEqual(states[self.users["agent_no"]], "missing")
        self.assertEqual(states[self.agent_old], "expired")
        # not a counter agent, yet listed (not in role) for the matrix's full view
        caller = Competence.search(
            [
                ("user_id", "=", self.users["caller_ok"].id),
                ("training_id", "=", self.trainings["counter_agent"].id),
            ]
        )
        self.assertFalse(caller.in_role)
        tab = self.users["agent_no"].crm_mall_competence_ids
        self.assertEqual(set(tab.mapped("state")), {"missing"})
        self.assertEqual(len(tab), 4)

    def test_staff_read_only_their_own_rows_over_rpc(self):
        agent = self.users["agent_no"]
        rows, error = self.execute(
            agent, "crm.mall.competence", "search_read", [], ["user_id"]
        )
        self.assertIsNone(error)
        self.assertEqual({row["user_id"][0] for row in rows}, {agent.id})
        _rows, error = self.execute(
            agent, "crm.mall.training", "write", [self.trainings["counter_agent"].id],
            {"validity_months": 1200},
        )  # fmt: skip
        self.assertEqual(error, "AccessError")
        self.assertEqual(self.trainings["counter_agent"].validity_months, 12)

    # ------------------------------------------------------------ shifts
    def test_shift_needs_valid_training_over_rpc(self):
        supervisor = self.users["supervisor_ok"]
        for user in (self.users["agent_no"], self.agent_old):
            _result, error = self.execute(
                supervisor, "crm.mall.shift", "create", [self.shift_vals(user)]
            )
            self.assertEqual(error, "UserError")
            self.assertFalse(self.shifts_of(user))
        ids, error = self.execute(
            supervisor,
            "crm.mall.shift",
            "create",
            [self.shift_vals(self.users["agent_ok"])],
        )
        self.assertIsNone(error)
        # nor is a planned shift handed over to someone untrained
        _result, error = self.execute(
            supervisor, "crm.mall.shift", "write", ids,
            {"user_id": self.users["agent_no"].id},
        )  # fmt: skip
        self.assertEqual(error, "UserError")
        self.assertEqual(self.shifts_of(self.users["agent_ok"]).ids, ids)

    def test_refusal_names_the_training_and_the_setting_switches_it(self):
        Shift = self.env["crm.mall.shift"]
        with self.assertRaisesRegex(UserError, "Training for counter_agent"):
            Shift.create(self.shift_vals(self.users["agent_no"]))
        self.company.crm_mall_competence_required = False
        self.assertTrue(Shift.create(self.shift_vals(self.users["agent_no"], days=1)))

    # ------------------------------------------------------------ calls
    def test_call_needs_valid_training_over_rpc(self):
        Visit = self.env["crm.mall.visit"]
        before = Visit.search_count([])
        _result, error = self.execute(
            self.users["caller_no"], "crm.mall.visit", "checkin", "09121234567",
            name="Caller", channel="call_centre",
        )  # fmt: skip
        self.assertEqual(error, "UserError")
        self.env.invalidate_all()
        self.assertEqual(Visit.search_count([]), before)
        ids, error = self.execute(
            self.users["caller_ok"], "crm.mall.visit", "checkin", "09121234567",
            name="Caller", channel="call_centre",
        )  # fmt: skip
        self.assertIsNone(error)
        self.assertEqual(Visit.browse(ids).agent_id, self.users["caller_ok"])

    # ------------------------------------------------------------ inspections
    def test_inspection_needs_valid_training_over_rpc(self):
        template = self.env["crm.mall.qc.template"].create(
            {
                "name": "Round",
                "zone": "Hall",
                "item_ids": [
                    fields.Command.create({"name": "Clean", "answer_type": "yes_no"})
                ],
            }
        )
        vals = {"template_id": template.id, "zone": "Hall"}
        Inspection = self.env["crm.mall.qc.inspection"]
        _result, error = self.execute(
            self.users["inspector_no"], "crm.mall.qc.inspection", "create", [vals]
        )
        self.assertEqual(error, "UserError")
        self.env.invalidate_all()
        self.assertFalse(Inspection.search([("template_id", "=", template.id)]))
        _result, error = self.execute(
            self.users["inspector_ok"], "crm.mall.qc.inspection", "create", [vals]
        )
        self.assertIsNone(error)
        self.assertTrue(Inspection.search([("template_id", "=", template.id)]))

    # ------------------------------------------------------------ complaints
    def test_complaint_assignment_needs_valid_training_over_rpc(self):
        complaint = self.env["helpdesk.ticket"].create(
            {
                "name": "Escalator stopped",
                "description": "<p>It stopped.</p>",
                "is_complaint": True,
                "partner_id": self.env["res.partner"].create({"name": "Visitor"}).id,
            }
        )
        manager = self.users["manager_ok"]
        _result, error = self.execute(
            manager, "helpdesk.ticket", "write", [complaint.id],
            {"user_id": self.users["officer_no"].id},
        )  # fmt: skip
        self.assertEqual(error, "UserError")
        self.env.invalidate_all()
        self.assertNotEqual(complaint.user_id, self.users["officer_no"])
        _result, error = self.execute(
            manager, "helpdesk.ticket", "write", [complaint.id],
            {"user_id": self.users["officer_ok"].id},
        )  # fmt: skip
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(complaint.user_id, self.users["officer_ok"])
        # nor is a complaint created already assigned to them
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search_count([])
        _result, error = self.execute(
            manager, "helpdesk.ticket", "create",
            [{"name": "Lift stuck", "description": "<p>Stuck.</p>",
              "is_complaint": True, "partner_id": complaint.partner_id.id,
              "user_id": self.users["officer_no"].id}],
        )  # fmt: skip
        self.assertEqual(error, "UserError")
        self.env.invalidate_all()
        self.assertEqual(Ticket.search_count([]), before)

    # ------------------------------------------------------------ reminders
    def test_expiry_reminder_once(self):
        soon = new_test_user(self.env, "comp_soon", groups=GROUPS["agent"])
        pass_certification(
            self.env, self.survey, soon.partner_id, self.now - timedelta(days=355)
        )
        Activity = self.env["mail.activity"]
        domain = [("res_model", "=", "crm.mall.training"), ("user_id", "=", soon.id)]
        Training = self.env["crm.mall.training"]
        Training._cron_crm_mall_expiry_reminders()
        Training._cron_crm_mall_expiry_reminders()
        # one per training of the survey (4 roles), each once
        self.assertEqual(Activity.search_count(domain), 4)
        self.assertFalse(
            Activity.search_count(
                [
                    ("res_model", "=", "crm.mall.training"),
                    ("user_id", "=", self.users["agent_ok"].id),
                ]
            )
        )

    # ------------------------------------------------------------ figures
    def test_certified_share_of_shifts(self):
        self.company.crm_mall_competence_required = False
        Shift = self.env["crm.mall.shift"]
        Review = self.env["mgmtsystem.review"]
        period = ((self.now - timedelta(days=2)).date(), self.now.date())

        def review_figures():
            rows = Review._crm_iso_review_competence_inputs(*period)
            by_code = {row["code"]: row for row in rows}
            shifts = by_code["competence.shifts"]["value"]
            pct = by_code["competence.shifts_certified"]["value"]
            return shifts, round(pct * shifts / 100.0), by_code

        shifts_before, certified_before, _rows = review_figures()
        shifts = Shift.create(
            [
                self.shift_vals(self.users["agent_ok"], days=-1),
                self.shift_vals(self.users["agent_no"], days=-1),
                self.shift_vals(self.agent_old, days=-1),
            ]
        )
        share = self.env["crm.mall.competence"]._crm_mall_shift_share(shifts)
        self.assertEqual(tuple(share), (3, 1))
        # the review counts them with the company's other shifts of the period
        shifts_after, certified_after, by_code = review_figures()
        self.assertEqual(shifts_after - shifts_before, 3)
        self.assertEqual(certified_after - certified_before, 1)
        self.assertEqual(by_code["competence.shifts_certified"]["status"], "missed")
        cockpit = self.env["crm.mall.cockpit"].create({"period": "week"})
        self.assertGreaterEqual(cockpit.shifts, 3)
        self.assertLess(cockpit.shifts_certified_pct, 100.0)
        self.assertIn(shifts[1], Shift.search(cockpit.action_open_shifts()["domain"]))

    def test_demo_job_plans_only_certified_agents(self):
        """The demo's hourly job skips an agent without training instead of
        failing for everyone."""
        Users = self.env["res.users"]
        certified = Users.search([("login", "=", "demo_agent_1")])
        untrained = Users.search([("login", "=", "demo_agent_2")])
        self.assertTrue(certified and untrained, "the demo agents")
        pass_certification(
            self.env, self.survey, certified.partner_id, self.now - timedelta(days=1)
        )
        counter = self.env.ref("crm_mall_counter.counter_ground")
        self.assertTrue(generator._may_work(self.env, certified, counter))
        self.assertFalse(generator._may_work(self.env, untrained, counter))
        planned = generator.plan_shifts(self.env)  # no refusal raised
        self.assertNotIn(untrained, planned.user_id)
