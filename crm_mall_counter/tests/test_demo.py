# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo data a mall recognises: every dashboard has something on first login."""

import random
import re
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.service.model import get_public_method
from odoo.tests import TransactionCase, tagged

from ..demo import generator
from ..models.crm_mall_routing_rule import SUBJECT_TYPES

PERSIAN = re.compile(r"^[\u0600-\u06FF\u200c ]+$")


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    def test_visitors_are_persian_with_iranian_mobiles(self):
        visitors = self.env["res.partner"].search(
            [("crm_mall_phone", "=like", "+98912%")]
        )
        self.assertGreaterEqual(len(visitors), 200)
        self.assertTrue(all(PERSIAN.match(v.name) for v in visitors))

    def test_every_subject_type_and_complaint_state(self):
        subjects = self.env["crm.mall.subject"].search([])
        self.assertEqual(
            set(subjects.mapped("subject_type")), {key for key, _ in SUBJECT_TYPES}
        )
        complaints = self.env["helpdesk.ticket"].search([("is_complaint", "=", True)])
        self.assertLessEqual(
            {"received", "acknowledged", "assessed", "investigation", "response"}
            | {"closed", "rejected"},
            set(complaints.mapped("complaint_state")),
        )
        self.assertTrue(self.env["crm.iso.dispute"].search_count([]))
        statuses = self.env["crm.iso.conduct.snapshot"].search([]).mapped("status")
        self.assertIn("met", statuses)
        self.assertIn("missed", statuses)

    def test_cockpit_shows_a_month_of_activity(self):
        cockpit = self.env["crm.mall.cockpit"].create({"period": "month"})
        for figure in ("visits", "calls", "complaints_received", "responses"):
            self.assertGreater(cockpit[figure], 0, figure)
        self.assertGreaterEqual(cockpit.responses, 100)
        self.assertTrue(cockpit.qc_inspections)
        self.assertTrue(cockpit.counter_line_ids)

    def test_the_mall_compares_with_two_competitors_and_sees_gaps(self):
        competitors = self.env["crm.mall.competitor"].search([])
        self.assertGreaterEqual(len(competitors), 2)
        rows = self.env["crm.mall.competitor.report"].search([])
        self.assertEqual(rows.competitor_id, competitors)
        gaps = rows.filtered("is_gap")
        self.assertTrue(gaps)
        threshold = self.env.company.crm_mall_competitor_gap
        self.assertTrue(all(row.gap > threshold for row in gaps))
        # the gaps of one competitor already have their improvement actions
        self.assertTrue(gaps.action_id)
        self.assertTrue(
            self.env["crm.mall.qc.inspection.line"].search_count(
                [("competitor_id", "!=", False), ("note", "!=", False)]
            )
        )

    def test_the_queue_has_numbers_stamps_and_figures(self):
        Visit = self.env["crm.mall.visit"]
        at_counters = [("channel", "=", "counter")]
        self.assertFalse(
            Visit.search_count(at_counters + [("queue_number", "=", False)])
        )
        self.assertTrue(Visit.search_count([("state", "=", "no_show")]))
        self.assertTrue(Visit.search_count([("state", "=", "waiting")]))
        (figures,) = Visit._queue_figures(at_counters)
        for name in ("avg_wait", "p90_wait", "avg_service", "no_show_rate"):
            self.assertGreater(figures[name], 0, name)
        self.assertGreater(figures["p90_wait"], figures["avg_wait"])
        self.assertTrue(self.env["crm.mall.queue.report"].search_count([]))

    def test_generator_is_deterministic(self):
        env = self.env
        first = generator._visitor_vals(env, random.Random(1405), 50)
        self.assertEqual(first, generator._visitor_vals(env, random.Random(1405), 50))
        self.assertNotEqual(first, generator._visitor_vals(env, random.Random(1), 50))

    def test_staff_and_visitors_in_persian_when_the_database_has_it(self):
        self.assertEqual(generator._lang(self.env), "en_US")
        self.env["res.lang"]._activate_lang("fa_IR")
        self.assertEqual(generator._lang(self.env), "fa_IR")
        vals = generator._visitor_vals(self.env, random.Random(1), 1)
        self.assertEqual(vals[0]["lang"], "fa_IR")

    def test_demo_kiosks_have_a_survey_to_show(self):
        kiosks = self.env.ref("crm_mall_counter.kiosk_ground") | self.env.ref(
            "crm_mall_counter.kiosk_food"
        )
        # the demo tablets open with known demo links (see readme/USAGE.md)
        tokens = {
            "kiosk_ground": "demo-ground-floor-kiosk",
            "kiosk_food": "demo-food-court-kiosk",
        }
        for xmlid, token in tokens.items():
            device = self.env.ref(f"crm_mall_counter.{xmlid}")
            self.assertIn(device, kiosks)
            self.assertEqual(device._from_token(token), device)
            self.assertTrue(device._kiosk_survey()[1].question_ids, xmlid)


@tagged("post_install", "-at_install")
class TestDemoOutOfProduction(TransactionCase):
    """The generator is no model: a production registry does not know it, and
    its entry point runs while demo data is loaded only."""

    def set_demo(self, module_demo, base_demo, state="installed"):
        Module = self.env["ir.module.module"]
        Module.search([("name", "=", "crm_mall_counter")]).write(
            {"demo": module_demo, "state": state}
        )
        Module.search([("name", "=", "base")]).demo = base_demo

    def test_no_demo_model_in_the_registry(self):
        self.assertNotIn("crm.mall.demo", self.env.registry)
        self.assertFalse(self.env["ir.model"].search([("model", "=", "crm.mall.demo")]))

    def test_entry_point_is_private(self):
        with self.assertRaises(AccessError):
            get_public_method(self.env["crm.mall.counter"], "_crm_demo_generate")

    def test_entry_point_refused_without_demo(self):
        Counter = self.env["crm.mall.counter"]
        self.set_demo(False, False)
        with patch.object(generator, "generate") as generate:
            with self.assertRaisesRegex(UserError, "demo database"):
                Counter._crm_demo_generate()
            # a module installed later, in a database without demo, neither
            self.set_demo(False, False, state="to install")
            with self.assertRaises(UserError):
                Counter._crm_demo_generate()
            generate.assert_not_called()

    def test_entry_point_runs_while_demo_is_loaded(self):
        Counter = self.env["crm.mall.counter"]
        with patch.object(generator, "generate") as generate:
            self.set_demo(False, True, state="to install")  # install of a demo db
            Counter._crm_demo_generate()
            self.set_demo(True, True)  # demo forced on later
            Counter._crm_demo_generate()
            self.assertEqual(generate.call_count, 2)
