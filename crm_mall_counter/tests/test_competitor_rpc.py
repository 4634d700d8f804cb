# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The competitor review through the real external API (``/json/2`` with API
keys, ``/jsonrpc``): a submitted benchmark visit is frozen for every group and
re-read unchanged, its inspector does not approve it, companies are walls and
bad input is a clear error, never an HTTP 500."""

import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.crm_iso_complaints.tests.common import execute_kw

from .common import SUITE_GROUPS

PASSWORD = "bench-rpc-1234"
GROUPS = SUITE_GROUPS
MANAGER = "crm_mall_counter.group_mall_manager"
REFUSALS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
}
QUIET = ("odoo.http", "odoo.addons.rpc.controllers.jsonrpc", "odoo.sql_db")


@tagged("post_install", "-at_install")
class TestCompetitorRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.users = [
            new_test_user(env, f"bench_rpc_{i}", groups=group, password=PASSWORD)
            for i, group in enumerate(GROUPS)
        ]
        cls.inspector = cls.users[GROUPS.index("crm_mall_counter.group_qc_inspector")]
        cls.manager = cls.users[GROUPS.index(MANAGER)]
        cls.template = env["crm.mall.qc.template"].create(
            {
                "name": "RPC round",
                "item_ids": [
                    (0, 0, {"name": "Tables clean", "answer_type": "yes_no"}),
                    (0, 0, {"name": "Smell", "answer_type": "rating"}),
                ],
            }
        )
        cls.competitor = env["crm.mall.competitor"].create({"name": "RPC Arg"})
        cls.other = env["crm.mall.competitor"].create({"name": "RPC Parsian"})
        cls.visit = cls.benchmark(cls.inspector)

    def setUp(self):
        super().setUp()
        self.keys = {}  # API keys made in this test's transaction

    @classmethod
    def benchmark(cls, user, submit=True):
        visit = (
            cls.env["crm.mall.qc.inspection"]
            .with_user(user)
            .create(
                {
                    "template_id": cls.template.id,
                    "zone": "Food court",
                    "competitor_id": cls.competitor.id,
                    "note": "As seen",
                }
            )
        )
        visit.line_ids.filtered(lambda l: l.answer_type == "yes_no").write(
            {"value_yes_no": "yes", "note": "They greet in three languages"}
        )
        visit.line_ids.filtered(lambda l: l.answer_type == "rating").write(
            {"value_rating": "5"}
        )
        if submit:
            visit.action_submit()
        return visit.with_env(cls.env)

    def json2(self, user, model, method, body):
        """POST /json/2/<model>/<method> as ``user``: (result, error name)."""
        if user.id not in self.keys:
            self.keys[user.id] = (
                self.env["res.users.apikeys"]
                .with_user(user)
                ._generate("rpc", "bench", fields.Datetime.now() + timedelta(hours=1))
            )
        with mute_logger(*QUIET):
            response = self.url_open(
                f"/json/2/{model}/{method}",
                data=json.dumps(body),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.keys[user.id]}",
                    "X-Odoo-Database": self.env.cr.dbname,
                },
                timeout=60,
            )
        self.assertLess(response.status_code, 500, response.text[:300])
        if response.status_code == 200:
            return response.json(), None
        return None, response.json().get("name")

    def snapshot(self, visit):
        visit.invalidate_recordset()
        visit.line_ids.invalidate_recordset()
        names = ["note", "date", "zone", "state", "competitor_id", "score"]
        return (
            visit.sudo().read(names),
            visit.line_ids.sudo().read(["value_yes_no", "value_rating", "note"]),
        )

    def test_a_submitted_visit_is_frozen_for_every_group(self):
        visit, line = self.visit, self.visit.line_ids[:1]
        before = self.snapshot(visit)
        forged = (
            ("crm.mall.qc.inspection", visit, {"note": "forged"}),
            ("crm.mall.qc.inspection", visit, {"date": "2020-01-01"}),
            ("crm.mall.qc.inspection", visit, {"zone": "Elsewhere"}),
            ("crm.mall.qc.inspection", visit, {"competitor_id": self.other.id}),
            ("crm.mall.qc.inspection", visit, {"state": "draft"}),
            ("crm.mall.qc.inspection.line", line, {"value_yes_no": "no"}),
            ("crm.mall.qc.inspection.line", line, {"note": "forged"}),
        )
        for user in (*self.users, self.env.ref("base.user_admin")):
            for model, record, vals in forged:
                _result, error = self.json2(
                    user, model, "write", {"ids": record.ids, "vals": vals}
                )
                self.assertIn(error, REFUSALS, (user.login, vals))
                self.assertEqual(self.snapshot(visit), before, (user.login, vals))
            _result, error = self.json2(
                user, "crm.mall.qc.inspection", "unlink", {"ids": visit.ids}
            )
            self.assertIn(error, REFUSALS, user.login)
            self.assertTrue(visit.sudo().exists())
            self.assertEqual(self.snapshot(visit), before, user.login)

    def test_the_inspector_does_not_approve_their_visit(self):
        both = new_test_user(
            self.env, "bench_rpc_both", groups=MANAGER, password=PASSWORD
        )
        visit = self.benchmark(both)
        _result, error = self.json2(
            both, "crm.mall.qc.inspection", "action_approve", {"ids": visit.ids}
        )
        self.assertEqual(error, "odoo.exceptions.UserError")
        self.assertEqual(self.snapshot(visit)[0][0]["state"], "submitted")
        _result, error = self.json2(
            self.manager, "crm.mall.qc.inspection", "action_approve", {"ids": visit.ids}
        )
        self.assertIsNone(error)
        visit.invalidate_recordset()
        self.assertEqual((visit.state, visit.reviewer_id), ("approved", self.manager))

    def test_companies_are_walls(self):
        company_a = self.env.ref("base.main_company")
        company_b = self.env["res.company"].create({"name": "Bench B"})
        theirs = self.env["crm.mall.competitor"].create(
            {"name": "B's rival", "company_id": company_b.id}
        )
        user_a = new_test_user(
            self.env, "bench_rpc_a", groups=MANAGER, password=PASSWORD
        )
        user_ab = new_test_user(
            self.env,
            "bench_rpc_ab",
            groups=MANAGER,
            password=PASSWORD,
            company_id=company_a.id,
        )
        user_ab.company_ids = company_a | company_b
        _result, error = execute_kw(
            self, user_a, PASSWORD, "crm.mall.competitor", "read", [theirs.ids]
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        vals = {
            "template_id": self.template.id,
            "zone": "Food court",
            "competitor_id": theirs.id,
        }
        count = self.env["crm.mall.qc.inspection"].search_count([])
        for user in (user_a, user_ab):
            _result, error = execute_kw(
                self, user, PASSWORD, "crm.mall.qc.inspection", "create", [[vals]]
            )
            self.assertIn(error, REFUSALS, user.login)
        self.assertEqual(self.env["crm.mall.qc.inspection"].search_count([]), count)
        # B's comparison rows are not A's to read or act on
        self.benchmark(self.inspector)  # a row in A
        rows, error = execute_kw(
            self,
            user_a,
            PASSWORD,
            "crm.mall.competitor.report",
            "search_read",
            [[]],
            {"fields": ["company_id"]},
        )
        self.assertIsNone(error)
        self.assertTrue(rows)
        self.assertEqual({row["company_id"][0] for row in rows}, {company_a.id})

    def test_bad_input_is_refused_clearly(self):
        line = self.visit.line_ids[:1]
        calls = (
            # a row that does not exist
            ("crm.mall.competitor.report", "action_raise_gap_actions", {"ids": [-7]}),
            # a visit's line whose visit is not a benchmark... or is a draft one
            (
                "crm.mall.qc.inspection.line",
                "action_crm_mall_add_to_library",
                {"ids": self.benchmark(self.inspector, submit=False).line_ids[:1].ids},
            ),
            # several lines at once, one without a note
            (
                "crm.mall.qc.inspection.line",
                "action_crm_mall_add_to_library",
                {"ids": self.visit.line_ids.ids},
            ),
            # no line at all
            ("crm.mall.qc.inspection.line", "action_crm_mall_add_to_library", {}),
            # a threshold out of range
            (
                "res.company",
                "write",
                {"ids": [1], "vals": {"crm_mall_competitor_gap": 500}},
            ),
            # a chart period that is no period
            (
                "crm.iso.chart",
                "get_charts",
                {"names": ["competitors"], "date_from": "soon", "date_to": "x"},
            ),
        )
        for model, method, body in calls:
            _result, error = self.json2(self.manager, model, method, body)
            self.assertIn(error, REFUSALS, (model, method))
        self.assertFalse(line.answer_page_ids)
        self.assertEqual(self.env.company.crm_mall_competitor_gap, 10.0)
