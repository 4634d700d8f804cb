# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The documented actions through the real HTTP API, as logged-in users
(``/web/dataset/call_kw``, what the web client and RPC clients call): each takes
ids and values, works, and bad input gives a clear UserError, never a TypeError.
"""

from urllib.parse import urljoin

from odoo.tests import HttpCase, new_test_user, tagged

PASSWORD = "rpc-actions-1234"
REVIEWER = "crm_mall_counter.group_office_reviewer"
AGENT = "crm_mall_counter.group_counter_agent"
MANAGER = "crm_mall_counter.group_mall_manager"


@tagged("post_install", "-at_install")
class TestRpcActions(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = new_test_user(
            cls.env, "rpc_act_reviewer", groups=REVIEWER, password=PASSWORD
        )
        cls.agent = new_test_user(
            cls.env, "rpc_act_agent", groups=AGENT, password=PASSWORD
        )
        cls.manager = new_test_user(
            cls.env, "rpc_act_manager", groups=MANAGER, password=PASSWORD
        )
        cls.counter = cls.env["crm.mall.counter"].create(
            {"name": "RPC actions desk", "code": "RPC-ACT"}
        )
        cls.visitor = cls.env["res.partner"].create({"name": "RPC visitor"})
        Visit = cls.env["crm.mall.visit"]
        with Visit._crm_iso_unlocked():  # as the check-in opens it
            cls.visit = Visit.create(
                {"counter_id": cls.counter.id, "partner_id": cls.visitor.id}
            )
        Subject = cls.env["crm.mall.subject"]
        cls.first, cls.second, cls.third = Subject.create(
            [
                {
                    "visit_id": cls.visit.id,
                    "subject_type": kind,
                    "description": f"RPC {kind} {i}",
                }
                for i, kind in enumerate(("request", "request", "complaint"))
            ]
        )
        Item = cls.env["crm.mall.lost.item"]
        cls.found = Item.create({"name": "RPC green scarf", "kind": "found"})
        cls.lost = Item.create({"name": "Lost green scarf", "kind": "lost"})

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def error(self, model, method, *args, **kwargs):
        """The error a call answers: (exception name, message)."""
        response = self.opener.post(
            urljoin(self.base_url(), "/web/dataset/call_kw"),
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            },
            timeout=12,
        )
        response.raise_for_status()
        data = response.json()
        self.assertIn("error", data, f"{method}{args} should have been refused")
        return data["error"]["data"]["name"], data["error"]["data"]["message"]

    def assertUserError(self, pattern, model, method, *args, **kwargs):
        name, message = self.error(model, method, *args, **kwargs)
        self.assertEqual(name, "odoo.exceptions.UserError", message)
        self.assertRegex(message, pattern)

    def test_issue_merge_assign_match_requalify_work_over_rpc(self):
        """The issue: action_merge_into, action_assign and action_match failed
        with a TypeError over RPC. With ids, positional or by keyword, they work."""
        self.authenticate("rpc_act_reviewer", PASSWORD)
        subject = "crm.mall.subject"
        self.assertIs(
            self.call(subject, "action_merge_into", [self.second.id], self.first.id),
            True,
        )
        self.assertIs(
            self.call(
                subject, "action_assign", [self.first.id], user_id=self.manager.id
            ),
            True,
        )
        complaint = self.third.ticket_id.sudo()
        self.assertTrue(complaint.is_complaint)
        self.assertIs(
            self.call(
                subject,
                "action_requalify",
                [self.third.id],
                "request",
                category_id=False,
            ),
            True,
        )
        self.env.invalidate_all()
        self.assertEqual(
            (self.second.state, self.second.duplicate_of_id), ("merged", self.first)
        )
        self.assertEqual(self.first.ticket_id.sudo().user_id, self.manager)
        self.assertEqual(self.first.reviewer_id, self.reviewer)
        self.assertEqual(self.third.subject_type, "request")
        # a reviewer who is no complaint manager leaves the complaint to them
        self.assertEqual(complaint.complaint_state, "received", "kept, not rejected")
        self.assertTrue(complaint.activity_ids, "the complaint managers decide")
        self.assertFalse(self.third.ticket_id.sudo().is_complaint)

        self.authenticate("rpc_act_agent", PASSWORD)
        item = "crm.mall.lost.item"
        candidates = self.call(item, "candidate_matches", [self.lost.id])
        self.assertIn(self.found.id, candidates)
        self.assertIs(
            self.call(item, "action_match", [self.lost.id], self.found.id), True
        )
        self.env.invalidate_all()
        self.assertEqual((self.lost.state, self.lost.match_id), ("matched", self.found))

    def test_review_wizard_over_rpc(self):
        """What the Review button does, step by step through HTTP."""
        self.authenticate("rpc_act_reviewer", PASSWORD)
        action = self.call(
            "crm.mall.subject", "action_open_review", [self.first.id, self.second.id]
        )
        wizard = "crm.mall.subject.review.wizard"
        self.assertEqual((action["res_model"], action["target"]), (wizard, "new"))
        self.call(
            wizard,
            "write",
            [action["res_id"]],
            {"decision": "requalify", "subject_type": "suggestion"},
        )
        self.call(wizard, "action_apply", [action["res_id"]])
        self.env.invalidate_all()
        self.assertEqual(
            (self.first | self.second).mapped("subject_type"), ["suggestion"] * 2
        )
        self.assertEqual(set((self.first | self.second).mapped("state")), {"reviewed"})

    def test_cockpit_lines_read_over_rpc(self):
        self.authenticate("rpc_act_manager", PASSWORD)
        cockpit_id = self.call("crm.mall.cockpit", "create", {"period": "month"})
        [cockpit] = self.call(
            "crm.mall.cockpit", "read", [cockpit_id], ["counter_line_ids", "visits"]
        )
        self.assertTrue(cockpit["counter_line_ids"])
        self.assertTrue(all(isinstance(i, int) for i in cockpit["counter_line_ids"]))
        rows = self.call(
            "crm.mall.cockpit.line",
            "search_read",
            [("cockpit_id", "=", cockpit_id)],
            ["counter_id", "zone", "visits", "complaints", "nps", "responses"],
        )
        self.assertEqual(
            sorted(r["id"] for r in rows), sorted(cockpit["counter_line_ids"])
        )
        mine = [r for r in rows if r["counter_id"][0] == self.counter.id]
        self.assertEqual(mine[0]["visits"], 1)
        # what the form view reads
        [record] = self.call(
            "crm.mall.cockpit",
            "web_read",
            [cockpit_id],
            specification={
                "visits": {},
                "counter_line_ids": {
                    "fields": {
                        "counter_id": {"fields": {"display_name": {}}},
                        "visits": {},
                    }
                },
            },
        )
        self.assertEqual(len(record["counter_line_ids"]), len(rows))
        # the drill-down of a figure, through HTTP, opens what it counts
        action = self.call("crm.mall.cockpit", "action_open_calls", [cockpit_id])
        calls = self.call("crm.mall.visit", "search_count", action["domain"])
        self.assertEqual(
            calls,
            self.call("crm.mall.cockpit", "read", [cockpit_id], ["calls"])[0]["calls"],
        )
        # another manager does not read this manager's lines
        new_test_user(self.env, "rpc_act_manager2", groups=MANAGER, password=PASSWORD)
        self.authenticate("rpc_act_manager2", PASSWORD)
        self.assertEqual(
            self.call(
                "crm.mall.cockpit.line",
                "search_read",
                [("cockpit_id", "=", cockpit_id)],
                ["visits"],
            ),
            [],
        )

    def test_bad_ids_are_user_errors_not_type_errors(self):
        self.authenticate("rpc_act_reviewer", PASSWORD)
        subject = "crm.mall.subject"
        for bad in ("abc", None, [], {"id": 1}, 10**9, -3):
            self.assertUserError(
                "Choose the subject", subject, "action_merge_into", [self.first.id], bad
            )
            self.assertUserError(
                "Choose the person", subject, "action_assign", [self.first.id], bad
            )
        self.assertUserError(
            "not a subject type", subject, "action_requalify", [self.first.id], 42
        )
        self.assertUserError("existing subjects", subject, "action_confirm", [10**9])
        portal = new_test_user(self.env, "rpc_act_portal", groups="base.group_portal")
        self.assertUserError(
            "internal user", subject, "action_assign", [self.first.id], portal.id
        )
        # no argument at all (what a plain button sends): the same clear refusal
        self.assertUserError(
            "Choose the subject", subject, "action_merge_into", [self.first.id]
        )
        self.assertUserError(
            "Choose the person", subject, "action_assign", [self.first.id]
        )
        self.assertUserError(
            "not a subject type", subject, "action_requalify", [self.first.id]
        )
        self.authenticate("rpc_act_agent", PASSWORD)
        self.assertUserError(
            "office reviewer", subject, "action_confirm", [self.first.id]
        )
        item = "crm.mall.lost.item"
        self.assertUserError(
            "Choose the item", item, "action_match", [self.lost.id], "x"
        )
        self.assertUserError("Choose the item", item, "action_match", [self.lost.id])
        self.env.invalidate_all()
        self.assertEqual(self.first.state, "new")
        self.assertEqual(self.lost.state, "open")

    def test_merge_into_another_company_is_refused(self):
        company_b = self.env["res.company"].create({"name": "RPC mall B"})
        self.reviewer.company_ids = [(4, company_b.id)]
        # B's rule assigns a user of B (companies are walls)
        self.manager.company_ids = [(4, company_b.id)]
        self.env["crm.mall.routing.rule"].create(
            {
                "name": "RPC B: suggestions to the manager",
                "subject_type": "suggestion",
                "action": "activity",
                "user_id": self.manager.id,
                "company_id": company_b.id,
            }
        )
        Visit = self.env["crm.mall.visit"]
        with Visit._crm_iso_unlocked():  # as the check-in opens it
            visit_b = Visit.create(
                {"partner_id": self.visitor.id, "company_id": company_b.id}
            )
        theirs = (
            self.env["crm.mall.subject"]
            .with_company(company_b)
            .create(
                {
                    "visit_id": visit_b.id,
                    "subject_type": "suggestion",
                    "description": "RPC elsewhere",
                }
            )
        )
        self.authenticate("rpc_act_reviewer", PASSWORD)
        self.assertUserError(
            "of its company",
            "crm.mall.subject",
            "action_merge_into",
            [self.first.id],
            theirs.id,
            context={"allowed_company_ids": [self.env.company.id, company_b.id]},
        )
        self.env.invalidate_all()
        self.assertEqual(self.first.state, "new")
