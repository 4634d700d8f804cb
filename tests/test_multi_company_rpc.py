# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Companies are walls, over the web client's RPC: a user of company B cannot
point a record of theirs at a record of company A by id, and every KPI row
carries the company it measures."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

PASSWORD = "mc-rpc-pass-1234"
GROUPS = (
    "crm_iso_complaints.group_complaint_manager,"
    "crm_iso_surveys.group_survey_manager,"
    "crm_mall_counter.group_mall_manager,"
    "crm_mall_counter.group_counter_supervisor,"
    "crm_mall_counter.group_qc_inspector"
)


@tagged("post_install", "-at_install")
class TestCompanyWallsRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.ref("base.main_company")
        cls.company_b = cls.env["res.company"].create({"name": "Mall B (RPC)"})
        cls.env.user.company_ids |= cls.company_b
        cls.user_a = cls._user("mc_rpc_a", cls.company_a)
        cls.user_b = cls._user("mc_rpc_b", cls.company_b)
        A = cls.env["crm.mall.counter"]
        cls.counter_a = A.create(
            {"name": "A desk", "code": "RA", "company_id": cls.company_a.id}
        )
        cls.counter_b = A.create(
            {"name": "B desk", "code": "RB", "company_id": cls.company_b.id}
        )
        cls.category_a = cls.env["helpdesk.ticket.category"].create(
            {"name": "A only", "company_id": cls.company_a.id}
        )
        cls.team_a = cls.env["helpdesk.ticket.team"].create(
            {"name": "A team", "company_id": cls.company_a.id}
        )
        cls.touchpoint_a = cls.env["crm.iso.touchpoint"].create(
            {"name": "A touchpoint", "code": "rpc_a", "company_id": cls.company_a.id}
        )
        cls.template_a = cls.env["crm.mall.qc.template"].create(
            {"name": "A round", "zone": "A", "company_id": cls.company_a.id}
        )
        cls.partner = cls.env["res.partner"].create({"name": "Visitor of both"})
        cls.complaint_a = cls.env["helpdesk.ticket"].create(
            {
                "name": "A complaint",
                "description": "<p>x</p>",
                "is_complaint": True,
                "partner_id": cls.partner.id,
                "company_id": cls.company_a.id,
            }
        )
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "Shared survey",
                "access_mode": "public",
                "question_and_page_ids": [
                    (
                        0,
                        0,
                        {
                            "title": "How likely are you to recommend us?",
                            "question_type": "scale",
                            "scale_min": 0,
                            "scale_max": 10,
                            "crm_iso_metric": "nps",
                        },
                    )
                ],
            }
        )
        Plan = cls.env["crm.iso.measurement.plan"]
        cls.plan_a = Plan.create(
            {
                "name": "A plan",
                "survey_ids": [(6, 0, cls.survey.ids)],
                "company_id": cls.company_a.id,
            }
        )
        cls.plan_b = Plan.create(
            {
                "name": "B plan",
                "survey_ids": [(6, 0, cls.survey.ids)],
                "company_id": cls.company_b.id,
            }
        )

    @classmethod
    def _user(cls, login, company):
        user = new_test_user(
            cls.env, login, groups=GROUPS, password=PASSWORD, company_id=company.id
        )
        user.company_ids = company
        return user

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assertRefused(self, model, vals):
        Model = self.env[model].sudo().with_context(active_test=False)
        before = Model.search_count([])
        with self.assertRaises(JsonRpcException) as caught:
            self.call(model, "create", [vals])
        self.assertIn(
            caught.exception.args[0].rsplit(".", 1)[-1],
            ("UserError", "ValidationError", "AccessError"),
        )
        self.env.invalidate_all()
        self.assertEqual(Model.search_count([]), before, vals)

    def test_no_record_of_b_points_at_a(self):
        self.authenticate("mc_rpc_b", PASSWORD)
        b = self.company_b.id
        cases = [
            # today's hole: a visit of B on A's counter, counted on A's board
            ("crm.mall.visit", {"counter_id": self.counter_a.id, "company_id": b}),
            ("crm.mall.visit", {"counter_id": self.counter_a.id}),
            (
                "helpdesk.ticket",
                {
                    "name": "x",
                    "description": "x",
                    "is_complaint": True,
                    "partner_id": self.partner.id,
                    "category_id": self.category_a.id,
                    "company_id": b,
                },
            ),
            (
                "helpdesk.ticket",
                {"name": "x", "description": "x", "team_id": self.team_a.id},
            ),
            (
                "crm.mall.shift",
                {
                    "user_id": self.user_b.id,
                    "counter_id": self.counter_a.id,
                    "template_id": self.env.ref(
                        "crm_mall_counter.shift_template_morning"
                    ).id,
                },
            ),
            (
                "crm.mall.qc.inspection",
                {"template_id": self.template_a.id, "zone": "A", "company_id": b},
            ),
            (
                "crm.iso.measurement.plan",
                {
                    "name": "B plan on A's touchpoint",
                    "survey_ids": [(6, 0, self.survey.ids)],
                    "touchpoint_ids": [(6, 0, self.touchpoint_a.ids)],
                    "company_id": b,
                },
            ),
            (
                "mgmtsystem.action",
                {
                    "name": "x",
                    "crm_iso_origin": "satisfaction",
                    "crm_iso_plan_id": self.plan_a.id,
                    "crm_iso_kpi": "nps",
                    "company_id": b,
                },
            ),
            (
                "mgmtsystem.action",
                {
                    "name": "x",
                    "crm_iso_origin": "complaint",
                    "company_id": b,
                    "crm_iso_complaint_ids": [(6, 0, self.complaint_a.ids)],
                },
            ),
            (
                "crm.iso.complaint.policy",
                {
                    "name": "B policy on A's team",
                    "calendar_id": self.env.ref("resource.resource_calendar_std").id,
                    "team_id": self.team_a.id,
                    "company_id": b,
                },
            ),
        ]
        for model, vals in cases:
            with self.subTest(model=model, vals=vals):
                self.assertRefused(model, vals)
        # and the board of A counts nothing of B
        self.assertFalse(
            self.env["crm.mall.visit"].search([("counter_id", "=", self.counter_a.id)])
        )

    def test_a_survey_link_answer_carries_plan_and_company(self):
        """The survey's own public link: the answer is the plan's, in the company
        of the site it was answered in, and counts in that plan's KPIs only."""
        self.url_open(f"/survey/start/{self.survey.access_token}")
        answer = self.env["survey.user_input"].search(
            [("survey_id", "=", self.survey.id)], order="id desc", limit=1
        )
        self.assertTrue(answer, "the public link created an answer")
        self.assertEqual(answer.crm_iso_company_id, self.company_a)
        self.assertEqual(answer.crm_iso_plan_id, self.plan_a)
        self.assertEqual(answer.crm_iso_channel, "link")
        self.assertEqual(self.plan_a.response_count, 0)  # not answered yet
        answer._save_lines(self.survey.question_ids, "9")
        answer._mark_done()
        self.plan_a.invalidate_recordset(["response_count"])
        self.assertEqual(self.plan_a.response_count, 1)
        # KPIs through RPC: A sees its answer, B does not
        self.authenticate("mc_rpc_b", PASSWORD)
        rows = self.call("crm.iso.satisfaction.report", "get_kpis", [], "plan_id")
        self.assertNotIn(self.plan_a.id, [row["key"] for row in rows or []])
        self.authenticate("mc_rpc_a", PASSWORD)
        rows = self.call("crm.iso.satisfaction.report", "get_kpis", [], "plan_id")
        self.assertIn(self.plan_a.id, [row["key"] for row in rows])
        # no KPI row without a company
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM survey_user_input WHERE crm_iso_company_id IS NULL"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_partner_figures_are_per_company(self):
        Input = self.env["survey.user_input"]
        for plan, score in ((self.plan_a, 10), (self.plan_b, 0)):
            answer = Input.create(
                {
                    "survey_id": self.survey.id,
                    "partner_id": self.partner.id,
                    "crm_iso_plan_id": plan.id,
                }
            )
            answer._save_lines(self.survey.question_ids, str(score))
            answer._mark_done()
        in_a = self.partner.with_company(self.company_a).sudo()
        in_b = self.partner.with_company(self.company_b).sudo()
        self.assertEqual(in_a.crm_iso_nps_class, "promoter")
        self.assertEqual(in_b.crm_iso_nps_class, "detractor")
        self.assertEqual(in_a.crm_iso_response_count, 1)
        self.assertEqual(in_b.crm_iso_response_count, 1)
        # over RPC, B reads B's figure of the shared visitor
        self.authenticate("mc_rpc_b", PASSWORD)
        (row,) = self.call(
            "res.partner",
            "read",
            [self.partner.id],
            ["crm_iso_nps_class", "crm_iso_loyalty_segment"],
        )
        self.assertEqual(row["crm_iso_nps_class"], "detractor")
