# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The CRM plan through the real external API (/jsonrpc execute_kw): approved by
a manager who did not write it, then frozen (plan and lines); a new version is a
new record; goals read their measures live; printed RTL and Jalali in Persian."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import execute_kw

PASSWORD = "Plan-2026-ok!"
MANAGER = "crm_mall_counter.group_mall_manager"


@tagged("post_install", "-at_install")
class TestPlan(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writer = new_test_user(
            cls.env, "plan_writer", groups=MANAGER, password=PASSWORD
        )
        cls.approver = new_test_user(
            cls.env, "plan_approver", groups=MANAGER, password=PASSWORD
        )
        cls.agent = new_test_user(
            cls.env,
            "plan_agent",
            groups="crm_mall_counter.group_counter_supervisor",
            password=PASSWORD,
        )
        cls.today = fields.Date.today()
        cls.touchpoint = cls.env["crm.iso.touchpoint"].create(
            {"name": "Counter", "code": "plan_counter", "crm_mall_channel": "counter"}
        )

    def execute(self, user, model, method, *args, **kwargs):
        result, error = execute_kw(self, user, PASSWORD, model, method, args, kwargs)
        return result, error and error.rsplit(".", 1)[-1]

    def new_plan(self):
        day = fields.Date.to_string
        ids, error = self.execute(
            self.writer,
            "crm.mall.plan",
            "create",
            [
                {
                    "name": "Plan 1405",
                    "date_from": day(self.today - timedelta(days=30)),
                    "date_to": day(self.today + timedelta(days=1)),
                    "goal_ids": [
                        (0, 0, {
                            "kind": "company", "name": "Fewer complaints",
                            "measure": "complaints_count", "target": 1000,
                            "direction": "lower",
                            "touchpoint_ids": [(6, 0, self.touchpoint.ids)],
                        }),
                        (0, 0, {
                            "kind": "customer", "name": "Happy visitors",
                            "measure": "csat", "target": 80,
                        }),
                    ],
                    "action_ids": [
                        (0, 0, {
                            "date": day(self.today), "action_type": "employee_survey",
                            "name": "Ask the agents what visitors ask",
                        }),
                    ],
                }
            ],
        )  # fmt: skip
        self.assertIsNone(error)
        return self.env["crm.mall.plan"].browse(ids)

    def reread(self, plan):
        self.env.invalidate_all()
        return plan.read(["state", "name", "approved_by_id", "author_id"])[0]

    def test_stamps_are_not_forged_over_rpc(self):
        _ids, error = self.execute(
            self.writer, "crm.mall.plan", "create",
            [{"name": "Forged", "date_from": "2026-01-01", "date_to": "2026-12-31",
              "state": "approved"}],
        )  # fmt: skip
        self.assertEqual(error, "UserError")
        _ids, error = self.execute(
            self.writer, "crm.mall.plan", "create",
            [{"name": "Forged", "date_from": "2026-01-01", "date_to": "2026-12-31",
              "author_id": self.approver.id}],
        )  # fmt: skip
        self.assertEqual(error, "UserError")
        plan = self.new_plan()
        self.assertEqual(plan.author_id, self.writer)
        for vals in ({"state": "approved"}, {"approved_by_id": self.approver.id}):
            _result, error = self.execute(
                self.writer, "crm.mall.plan", "write", plan.ids, vals
            )
            self.assertEqual(error, "UserError")
        self.assertEqual(self.reread(plan)["state"], "draft")
        # staff outside management do not read plans at all
        _result, error = self.execute(
            self.agent, "crm.mall.plan", "read", plan.ids, ["name"]
        )
        self.assertEqual(error, "AccessError")

    def test_approved_by_another_manager_then_frozen_over_rpc(self):
        plan = self.new_plan()
        _result, error = self.execute(
            self.writer, "crm.mall.plan", "action_approve", plan.ids
        )
        self.assertEqual(error, "UserError")
        self.assertEqual(self.reread(plan)["state"], "draft")
        _result, error = self.execute(
            self.approver, "crm.mall.plan", "action_approve", plan.ids
        )
        self.assertIsNone(error)
        after = self.reread(plan)
        self.assertEqual(after["state"], "approved")
        self.assertEqual(after["approved_by_id"][0], self.approver.id)
        goal = plan.goal_ids[0]
        refused = [
            ("crm.mall.plan", "write", plan.ids, {"name": "Changed"}),
            ("crm.mall.plan", "unlink", plan.ids),
            ("crm.mall.plan.goal", "write", goal.ids, {"target": 1}),
            ("crm.mall.plan.goal", "unlink", goal.ids),
            (
                "crm.mall.plan.goal",
                "create",
                [{"plan_id": plan.id, "name": "More", "measure": "nps", "target": 1}],
            ),
            ("crm.mall.plan.action", "unlink", plan.action_ids.ids),
            ("crm.mall.plan", "action_approve", plan.ids),
        ]
        for model, method, *args in refused:
            _result, error = self.execute(self.approver, model, method, *args)
            self.assertEqual(error, "UserError", (model, method))
        self.env.invalidate_all()
        self.assertEqual(plan.name, "Plan 1405")
        self.assertEqual(goal.target, 1000)
        self.assertEqual(len(plan.goal_ids), 2)
        self.assertEqual(len(plan.action_ids), 1)

    def test_new_version_is_a_new_draft_record(self):
        plan = self.new_plan()
        self.execute(self.approver, "crm.mall.plan", "action_approve", plan.ids)
        action, error = self.execute(
            self.approver, "crm.mall.plan", "action_new_version", plan.ids
        )
        self.assertIsNone(error)
        new = self.env["crm.mall.plan"].browse(action["res_id"])
        self.assertNotEqual(new, plan)
        self.assertEqual(
            (new.state, new.version, new.previous_id, new.author_id),
            ("draft", 2, plan, self.approver),
        )
        self.assertEqual(new.goal_ids.mapped("name"), plan.goal_ids.mapped("name"))
        self.assertEqual(plan.state, "approved")
        # the new version is approved by someone other than its writer
        _result, error = self.execute(
            self.approver, "crm.mall.plan", "action_approve", new.ids
        )
        self.assertEqual(error, "UserError")

    def test_goals_read_their_measures_live(self):
        plan = self.new_plan()
        goal = plan.goal_ids.filtered(lambda g: g.measure == "complaints_count")
        start, end = plan._crm_mall_bounds()
        expected = (
            self.env["crm.iso.complaint.report"].get_kpis(
                [
                    ("company_id", "=", plan.company_id.id),
                    ("complaint_received_date", ">=", start),
                    ("complaint_received_date", "<", end),
                ]
            )
            or [{}]
        )[0].get("count") or 0
        self.assertEqual(goal.actual, expected)
        self.env["helpdesk.ticket"].create(
            {
                "name": "Escalator stopped",
                "description": "<p>It stopped.</p>",
                "is_complaint": True,
                "partner_id": self.env["res.partner"].create({"name": "V"}).id,
            }
        )
        self.env.invalidate_all()
        self.assertEqual(goal.actual, expected + 1)
        self.assertEqual(goal.status, "met")
        self.assertEqual(goal.progress, 100.0)
        self.assertIn(goal, self.touchpoint.crm_mall_goal_ids)
        (chart,) = plan.charts
        self.assertEqual(chart["labels"], plan.goal_ids.mapped("name"))
        self.assertEqual(
            chart["datasets"][0]["data"][plan.goal_ids.ids.index(goal.id)], 100.0
        )
        # its place in the management review, once approved
        plan.with_user(self.approver).action_approve()
        rows = self.env["mgmtsystem.review"]._crm_iso_review_plan_inputs(
            self.today, self.today
        )
        row = next(r for r in rows if r["code"] == f"plan.{goal.id}")
        self.assertEqual((row["value"], row["status"]), (expected + 1, "met"))

    def test_printed_rtl_and_jalali_in_persian(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        plan = self.new_plan()
        Report = self.env["ir.actions.report"].with_context(lang="fa_IR")
        page = Report._render_qweb_html(
            "crm_mall_counter.report_crm_mall_plan", plan.ids
        )[0].decode()
        self.assertIn('dir="rtl"', page)
        self.assertIn("۱۴۰", page)  # a Jalali year in Persian digits
        page = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_mall_counter.report_crm_mall_plan", plan.ids)[0]
            .decode()
        )
        self.assertIn('dir="ltr"', page)
        self.assertIn(fields.Date.to_string(plan.date_from), page)

    def test_companies_are_walls_over_rpc(self):
        plan = self.new_plan()
        other = self.env["res.company"].create({"name": "Other mall"})
        outsider = new_test_user(
            self.env,
            "plan_outsider",
            groups=MANAGER,
            password=PASSWORD,
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        for model in ("crm.mall.plan", "crm.mall.plan.goal", "crm.mall.competence"):
            rows, error = self.execute(outsider, model, "search_read", [], ["id"])
            self.assertIsNone(error)
            self.assertEqual(rows, [], model)
        _result, error = self.execute(
            outsider, "crm.mall.plan", "read", plan.ids, ["name"]
        )
        self.assertEqual(error, "AccessError")
        # a goal watches touchpoints of its own company only
        foreign = self.env["crm.iso.touchpoint"].create(
            {"name": "Other desk", "code": "plan_other", "company_id": other.id}
        )
        _result, error = self.execute(
            self.writer, "crm.mall.plan.goal", "write", plan.goal_ids[:1].ids,
            {"touchpoint_ids": [(4, foreign.id)]},
        )  # fmt: skip
        self.assertIsNotNone(error)
        self.env.invalidate_all()
        self.assertNotIn(foreign, plan.goal_ids.touchpoint_ids)
