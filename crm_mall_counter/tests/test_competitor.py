# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The competitor review: benchmark visits scored on the mall's own QC
checklists, the comparison per criterion and month, the improvement actions of
its gaps, the answer library and the management review's inputs."""

import threading
from datetime import date
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import ConcurrencyError, UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from ..models.crm_mall_competitor_report import CrmMallCompetitorReport

INSPECTOR = "crm_mall_counter.group_qc_inspector"
MANAGER = "crm_mall_counter.group_mall_manager"


@tagged("post_install", "-at_install")
class CompetitorCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.inspector = new_test_user(env, "bench_inspector", groups=INSPECTOR)
        cls.manager = new_test_user(env, "bench_manager", groups=MANAGER)
        cls.template = env["crm.mall.qc.template"].create(
            {
                "name": "Benchmark round",
                "item_ids": [
                    (0, 0, {"name": "Tables clean", "answer_type": "yes_no"}),
                    (
                        0,
                        0,
                        {"name": "Smell", "answer_type": "rating", "weight": 3},
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Fridge (°C)",
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
                            "name": "Remarks",
                            "answer_type": "text",
                            "mandatory": False,
                        },
                    ),
                ],
            }
        )
        cls.items = {item.answer_type: item for item in cls.template.item_ids}
        Competitor = env["crm.mall.competitor"]
        cls.arg = Competitor.create({"name": "Bench Arg", "address": "North"})
        cls.parsian = Competitor.create({"name": "Bench Parsian"})
        # a month of its own, away from any other data of the database
        cls.month = date(2031, 3, 1)
        env.company.crm_mall_competitor_gap = 10.0

    def round(self, answers, competitor=None, day=None, submit=True, user=None):
        """A round (a benchmark visit with ``competitor``) answered with
        ``answers`` {answer type: value}, submitted unless told."""
        visit = (
            self.env["crm.mall.qc.inspection"]
            .with_user(user or self.inspector)
            .create(
                {
                    "template_id": self.template.id,
                    "zone": "Food court",
                    "date": day or self.month + relativedelta(days=9),
                    "competitor_id": competitor.id if competitor else False,
                }
            )
        )
        for line in visit.line_ids:
            value = answers.get(line.answer_type)
            if line.answer_type == "number":
                line.write({"value_number": value, "number_given": True})
            elif line.answer_type == "text":
                line.value_text = "seen"
            else:
                line[f"value_{line.answer_type}"] = value
        if submit:
            visit.action_submit()
        return visit

    def rows(self, competitor=None):
        domain = [("period", "=", self.month)]
        if competitor:
            domain.append(("competitor_id", "=", competitor.id))
        return self.env["crm.mall.competitor.report"].search(domain)

    @staticmethod
    def criterion_score(lines):
        """What a criterion scores over answers, as the inspection scores its
        lines: the share of their points in their maximum, in percent."""
        maximum = sum(lines.mapped("max_points"))
        return 100.0 * sum(lines.mapped("points")) / maximum


class TestCompetitor(CompetitorCase):
    def test_a_benchmark_visit_is_scored_on_the_qc_criteria(self):
        answers = {"yes_no": "yes", "rating": "3", "number": 9}
        own = self.round(answers)
        visit = self.round(answers, self.arg)
        # the same checklist items, copied from the same template
        self.assertEqual(visit.line_ids.item_id, self.template.item_ids)
        self.assertEqual(visit.template_version, self.template.version)
        # the same points per answer and the same score as an own round
        self.assertEqual(
            visit.line_ids.sorted("item_id").mapped("points"),
            own.line_ids.sorted("item_id").mapped("points"),
        )
        self.assertAlmostEqual(visit.score, own.score)
        self.assertAlmostEqual(visit.score, self.criterion_score(visit.line_ids))
        self.assertEqual(self.arg.visit_count, 1)
        # the competitor's buttons open its visits and its comparison rows
        action = self.arg.with_user(self.manager).action_view_visits()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), visit)
        action = self.arg.with_user(self.manager).action_view_comparison()
        rows = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(rows, self.rows(self.arg))
        scored = visit.line_ids.item_id.filtered(lambda i: i.answer_type != "text")
        self.assertEqual(rows.item_id, scored)

    def test_comparison_figures_are_computed_from_the_answers(self):
        own = self.round({"yes_no": "yes", "rating": "2", "number": 9})
        own |= self.round(
            {"yes_no": "no", "rating": "4", "number": 3},
            day=self.month + relativedelta(days=20),
        )
        # a draft own round and a round of another month count nowhere
        self.round({"yes_no": "yes", "rating": "5", "number": 3}, submit=False)
        self.round(
            {"yes_no": "no", "rating": "1", "number": 9},
            day=self.month - relativedelta(days=1),
        )
        arg = self.round({"yes_no": "yes", "rating": "5", "number": 3}, self.arg)
        arg |= self.round({"yes_no": "yes", "rating": "4", "number": 8}, self.arg)
        parsian = self.round({"yes_no": "no", "rating": "2", "number": 1}, self.parsian)
        threshold = self.env.company.crm_mall_competitor_gap
        rows = self.rows()
        scored = [i for i in self.template.item_ids if i.answer_type != "text"]
        # one row per competitor and scored criterion (text is not scored)
        self.assertEqual(len(rows), 2 * len(scored))
        for row in rows:
            visits = arg if row.competitor_id == self.arg else parsian
            theirs = self.criterion_score(
                visits.line_ids.filtered(lambda l, r=row: l.item_id == r.item_id)
            )
            ours = self.criterion_score(
                own.line_ids.filtered(lambda l, r=row: l.item_id == r.item_id)
            )
            self.assertAlmostEqual(row.score, theirs, places=6)
            self.assertAlmostEqual(row.own_score, ours, places=6)
            self.assertAlmostEqual(row.gap, theirs - ours, places=6)
            self.assertEqual(row.is_gap, theirs - ours > threshold)
            self.assertEqual(row.visits, len(visits))
            self.assertEqual(row.own_rounds, len(own))
            self.assertEqual(row.section, row.item_id.section)
        self.assertTrue(rows.filtered("is_gap"), "the data has gaps")
        self.assertTrue(rows.filtered(lambda r: not r.is_gap))

    def test_a_month_without_own_round_has_no_gap(self):
        self.round({"yes_no": "yes", "rating": "5", "number": 3}, self.arg)
        rows = self.rows(self.arg)
        self.assertTrue(rows)
        self.assertFalse(any(rows.mapped("own_rounds")))
        self.assertFalse(rows.filtered("is_gap"))
        self.assertEqual(rows.mapped("own_score"), [0.0] * len(rows))

    def test_the_threshold_is_the_company_setting(self):
        self.round({"yes_no": "yes", "rating": "4", "number": 3})
        self.round({"yes_no": "yes", "rating": "5", "number": 3}, self.arg)
        row = self.rows(self.arg).filtered(lambda r: r.item_id.answer_type == "rating")
        self.assertGreater(row.gap, 0)
        for threshold, is_gap in ((row.gap - 0.1, True), (row.gap, False)):
            self.env.company.crm_mall_competitor_gap = threshold
            row.invalidate_recordset()
            self.assertEqual(row.is_gap, is_gap, threshold)
        with self.assertRaises(ValidationError):
            self.env.company.crm_mall_competitor_gap = -1

    def test_own_qc_figures_leave_the_benchmark_visits_out(self):
        self.round({"yes_no": "no", "rating": "1", "number": 9})
        review = self.env["mgmtsystem.review"]
        end = self.month + relativedelta(months=1, days=-1)
        before = {
            r["code"]: r["value"]
            for r in review._crm_iso_review_qc_inputs(self.month, end)
        }
        self.round({"yes_no": "yes", "rating": "5", "number": 3}, self.arg)
        after = {
            r["code"]: r["value"]
            for r in review._crm_iso_review_qc_inputs(self.month, end)
        }
        self.assertEqual(after, before)
        # no action order and no repeated failure from a competitor's failures
        visit = self.round({"yes_no": "no", "rating": "1", "number": 9}, self.arg)
        self.assertFalse(visit.line_ids.filtered("repeated_failure"))
        with self.assertRaises(UserError):
            visit.with_user(self.manager).action_order_from_failed()

    def test_a_submitted_visit_is_frozen_and_approved_by_another(self):
        visit = self.round({"yes_no": "yes", "rating": "5", "number": 3}, self.arg)
        for vals in (
            {"note": "changed"},
            {"date": "2031-03-02"},
            {"zone": "Elsewhere"},
            {"competitor_id": self.parsian.id},
        ):
            with self.assertRaises(UserError, msg=vals):
                visit.with_user(self.inspector).write(vals)
        with self.assertRaises(UserError):
            visit.line_ids[:1].with_user(self.inspector).write({"note": "x"})
        with self.assertRaises(UserError):
            visit.with_user(self.manager).unlink()
        # the inspector who did it is not the one who approves it
        manager_inspector = new_test_user(self.env, "bench_both", groups=MANAGER)
        own = self.round(
            {"yes_no": "yes", "rating": "5", "number": 3},
            self.arg,
            user=manager_inspector,
        )
        with self.assertRaises(UserError):
            own.with_user(manager_inspector).action_approve()
        own.with_user(self.manager).action_approve()
        self.assertEqual(own.state, "approved")
        self.assertEqual(own.reviewer_id, self.manager)

    def test_a_competitor_is_given_when_the_visit_starts(self):
        own = self.round({}, submit=False)
        with self.assertRaises(UserError):
            own.with_user(self.inspector).write({"competitor_id": self.arg.id})
        self.assertFalse(own.competitor_id)


class TestGapActions(CompetitorCase):
    def gap_rows(self):
        self.round({"yes_no": "no", "rating": "2", "number": 9})
        self.round({"yes_no": "yes", "rating": "5", "number": 3}, self.arg)
        rows = self.rows(self.arg)
        self.assertTrue(rows.filtered("is_gap"))
        return rows

    def competitor_actions(self):
        return self.env["mgmtsystem.action"].search(
            [
                ("crm_iso_origin", "=", "competitor"),
                ("crm_mall_competitor_id", "=", self.arg.id),
            ]
        )

    def test_a_gap_raises_one_improvement_action_even_twice(self):
        rows = self.gap_rows()
        gaps = rows.filtered("is_gap")
        result = rows.with_user(self.manager).action_raise_gap_actions()
        actions = self.competitor_actions()
        self.assertEqual(len(actions), len(gaps))
        ((field, operator, ids),) = result["domain"]
        self.assertEqual((field, operator, set(ids)), ("id", "in", set(actions.ids)))
        for row in gaps:
            action = actions.filtered(
                lambda a, r=row: a.crm_mall_criterion_id == r.item_id
            )
            self.assertEqual(len(action), 1)
            self.assertEqual(action.crm_mall_period, self.month)
            self.assertEqual(action.type_action, "improvement")
            self.assertEqual(action.crm_iso_state, "draft")
            self.assertEqual(action.company_id, self.arg.company_id)
        self.assertEqual(rows.filtered("is_gap").action_id, actions)
        # again, from the rows and from the competitor's button: nothing new
        rows.with_user(self.manager).action_raise_gap_actions()
        self.arg.with_user(self.manager).action_raise_gap_actions()
        self.assertEqual(self.competitor_actions(), actions)

    def test_a_concurrent_raise_finds_the_one_made(self):
        """Two managers raise at once: the second's rows were read before the
        first's action committed. The UNIQUE index stops the duplicate; the
        request fails with a ConcurrencyError, which Odoo retries, and the
        retry finds the action."""
        rows = self.gap_rows()
        gap = rows.filtered("is_gap")[:1]
        self.assertFalse(gap.action_id)  # read now, stale below
        other = self.env["mgmtsystem.action"].create(
            {
                "name": "Raised by the other manager",
                "crm_iso_origin": "competitor",
                "crm_mall_competitor_id": gap.competitor_id.id,
                "crm_mall_criterion_id": gap.item_id.id,
                "crm_mall_period": gap.period,
            }
        )
        with self.assertRaises(ConcurrencyError):
            gap.with_user(self.manager).action_raise_gap_actions()
        self.assertEqual(self.competitor_actions(), other)
        gap.invalidate_recordset()  # the retry reads afresh
        gap.with_user(self.manager).action_raise_gap_actions()
        self.assertEqual(self.competitor_actions(), other)
        with (
            self.assertRaises(errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            other.copy()

    def test_only_a_mall_manager_raises_and_only_gaps(self):
        rows = self.gap_rows()
        with self.assertRaises(UserError):
            rows.with_user(self.inspector).action_raise_gap_actions()
        with self.assertRaises(UserError):
            rows.filtered(lambda r: not r.is_gap).with_user(
                self.manager
            ).action_raise_gap_actions()
        self.assertFalse(self.competitor_actions())

    def test_the_action_is_checked_by_a_manager_who_did_not_do_it(self):
        rows = self.gap_rows()
        rows.with_user(self.manager).action_raise_gap_actions()
        action = self.competitor_actions()[:1].with_user(self.manager)
        action.action_crm_iso_start()
        action.action_crm_iso_done()
        with self.assertRaises(UserError):
            action.action_crm_iso_check(True)
        with self.assertRaises(UserError):
            action.with_user(self.inspector).action_crm_iso_check(True)
        other = new_test_user(self.env, "bench_checker", groups=MANAGER)
        action.with_user(other).action_crm_iso_effective()
        self.assertEqual(action.crm_iso_effectiveness, "effective")
        # its keys never change
        with self.assertRaises(UserError):
            action.write({"crm_mall_period": self.month + relativedelta(months=1)})

    def test_the_gaps_and_actions_are_inputs_of_the_management_review(self):
        rows = self.gap_rows()
        rows.with_user(self.manager).action_raise_gap_actions()
        end = self.month + relativedelta(months=1, days=-1)
        review = self.env["mgmtsystem.review"].create(
            {
                "name": "Review of March",
                "date": end,
                "crm_iso_date_from": self.month,
                "crm_iso_date_to": end,
            }
        )
        review.action_crm_iso_pull_inputs()
        inputs = review.crm_iso_input_ids.filtered(lambda i: i.section == "competitor")
        codes = {row.code: row for row in inputs}
        gaps = rows.filtered("is_gap")
        self.assertEqual(codes["competitor.gaps"].value, len(gaps))
        self.assertEqual(codes["competitor.visits"].value, 1)
        open_actions = self.env["mgmtsystem.action"].search(
            [
                ("company_id", "=", review.company_id.id),
                ("crm_iso_origin", "=", "competitor"),
                ("crm_iso_state", "in", ("draft", "open")),
            ]
        )
        self.assertLessEqual(self.competitor_actions(), open_actions)
        self.assertEqual(codes["competitor.actions_open"].value, len(open_actions))
        for gap in gaps:
            row = codes[f"competitor.gap.{gap.id}"]
            self.assertAlmostEqual(row.value, gap.gap, places=1)
            self.assertEqual(row.status, "missed")

    def test_the_comparison_chart_draws_the_report(self):
        rows = self.gap_rows()
        end = self.month + relativedelta(months=1, days=-1)
        chart = (
            self.env["crm.iso.chart"]
            .with_user(self.manager)
            .get_charts(["competitors"], fields.Date.to_string(self.month), end)[0]
        )
        ours, arg = chart["datasets"]
        self.assertEqual(arg["label"], self.arg.name)
        self.assertEqual(chart["labels"], rows.item_id.sorted("name").mapped("name"))
        for index, item in enumerate(rows.item_id.sorted("name")):
            row = rows.filtered(lambda r, i=item: r.item_id == i)
            self.assertAlmostEqual(arg["data"][index], row.score)
            self.assertAlmostEqual(ours["data"][index], row.own_score)
            self.assertEqual(self.env[arg["model"]].search(arg["domains"][index]), row)


class TestAnswerLibrary(CompetitorCase):
    def test_a_visit_note_goes_to_the_answer_library_once(self):
        visit = self.round(
            {"yes_no": "yes", "rating": "5", "number": 3}, self.arg, submit=False
        )
        line = visit.line_ids.filtered(lambda l: l.answer_type == "yes_no")
        line.with_user(self.inspector).note = "Tell visitors tables are cleaned"
        with self.assertRaises(UserError):  # not submitted yet
            line.with_user(self.manager).action_crm_mall_add_to_library()
        visit.action_submit()
        with self.assertRaises(UserError):  # agents' library: managers add
            line.with_user(self.inspector).action_crm_mall_add_to_library()
        result = line.with_user(self.manager).action_crm_mall_add_to_library()
        page = self.env["document.page"].browse(result["res_id"])
        self.assertEqual(page.crm_mall_source_line_id, line)
        self.assertTrue(page.crm_mall_library)
        self.assertFalse(page.crm_mall_approved)
        self.assertIn("Tell visitors tables are cleaned", page.content)
        self.assertIn(self.arg.name, page.content)
        self.assertEqual(line.answer_page_ids, page)
        again = line.with_user(self.manager).action_crm_mall_add_to_library()
        self.assertEqual(again["res_id"], page.id)
        self.assertEqual(
            self.env["document.page"].search_count(
                [("crm_mall_source_line_id", "=", line.id)]
            ),
            1,
        )
        with self.assertRaises(UserError):
            page.with_user(self.manager).write({"crm_mall_source_line_id": False})

    def test_an_empty_note_or_an_own_round_adds_nothing(self):
        visit = self.round({"yes_no": "yes", "rating": "5", "number": 3}, self.arg)
        own = self.round({"yes_no": "yes", "rating": "5", "number": 3}, submit=False)
        own.line_ids[:1].with_user(self.inspector).note = "Say hello"
        own.action_submit()
        for line in (visit.line_ids[:1], own.line_ids[:1]):
            with self.assertRaises(UserError):
                line.with_user(self.manager).action_crm_mall_add_to_library()


@tagged("post_install", "-at_install")
class TestConcurrentRaise(BaseCase):
    """Two mall managers raise the same gaps at the same moment, for real.

    Two threads with their own database transactions both read the gaps
    without an action, then both create them: the second blocks on the UNIQUE
    index until the first commits, fails, and Odoo's retrying() (which every RPC
    request goes through) runs it again, which finds the actions. One action
    per gap, no error. Everything made here is removed afterwards.
    """

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.addCleanup(self._cleanup)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.managers = [
                env["res.users"]
                .create(
                    {
                        "name": login,
                        "login": login,
                        "group_ids": [(6, 0, env.ref(MANAGER).ids)],
                    }
                )
                .id
                for login in ("race_bench_a", "race_bench_b")
            ]
            template = env["crm.mall.qc.template"].create(
                {
                    "name": "Race round",
                    "item_ids": [
                        (0, 0, {"name": "Race tables", "answer_type": "yes_no"}),
                        (0, 0, {"name": "Race smell", "answer_type": "rating"}),
                    ],
                }
            )
            self.template_id = template.id
            competitor = env["crm.mall.competitor"].create({"name": "Race mall"})
            self.competitor_id = competitor.id
            Inspection = env["crm.mall.qc.inspection"]
            for competitor_id, yes_no, rating in (
                (False, "no", "2"),
                (competitor.id, "yes", "5"),
            ):
                visit = Inspection.create(
                    {
                        "template_id": template.id,
                        "zone": "Race",
                        "date": "2031-05-10",
                        "competitor_id": competitor_id,
                    }
                )
                visit.line_ids.filtered(lambda l: l.answer_type == "yes_no").write(
                    {"value_yes_no": yes_no}
                )
                visit.line_ids.filtered(lambda l: l.answer_type == "rating").write(
                    {"value_rating": rating}
                )
                visit.action_submit()

    def _cleanup(self):
        with self.registry.cursor() as cr:
            # submitted rounds are never deleted through the ORM: a test's are
            cr.execute(
                "DELETE FROM mgmtsystem_action WHERE crm_mall_competitor_id = %s",
                [self.competitor_id],
            )
            cr.execute(
                "DELETE FROM crm_mall_qc_inspection WHERE template_id = %s",
                [self.template_id],
            )
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["crm.mall.competitor"].browse(self.competitor_id).unlink()
            env["crm.mall.qc.template"].browse(self.template_id).unlink()
            env["res.users"].browse(self.managers).unlink()

    def test_two_managers_raise_the_same_gaps_at_once(self):
        barrier = threading.Barrier(2, timeout=30)
        waited = threading.local()
        original = CrmMallCompetitorReport._crm_mall_create_actions
        errors_seen = []

        raced = []  # the creates that lost the race (then retried)

        def create_together(rows, vals_list):
            if not getattr(waited, "done", False):
                waited.done = True
                barrier.wait()  # both found no action; now both create
            try:
                return original(rows, vals_list)
            except Exception as error:
                raced.append(error)
                raise

        def manager_raises(uid):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, uid, {})
                    retrying(
                        lambda: (
                            env["crm.mall.competitor"]
                            .browse(self.competitor_id)
                            .action_raise_gap_actions()
                        ),
                        env,
                    )
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors_seen.append(error)

        with patch.object(
            CrmMallCompetitorReport, "_crm_mall_create_actions", create_together
        ):
            threads = [
                threading.Thread(target=manager_raises, args=(uid,))
                for uid in self.managers
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertFalse(errors_seen, errors_seen)
        self.assertEqual(len(raced), 1, raced)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            gaps = env["crm.mall.competitor.report"].search(
                [("competitor_id", "=", self.competitor_id), ("is_gap", "=", True)]
            )
            actions = env["mgmtsystem.action"].search(
                [("crm_mall_competitor_id", "=", self.competitor_id)]
            )
            self.assertEqual(len(gaps), 2)
            self.assertEqual(len(actions), len(gaps))
            self.assertEqual(gaps.action_id, actions)
