# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from ..tools import metrics
from .common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestMetricFormulas(SatisfactionCase):
    """Formulas against hand-computed values, and SQL against Python."""

    def test_per_response_formulas(self):
        self.assertEqual(metrics.csat_satisfied(4, 5), 100.0)
        self.assertEqual(metrics.csat_satisfied(3, 5), 0.0)
        self.assertEqual(metrics.csat_satisfied(3, 5, top_box=3), 100.0)
        self.assertEqual(
            [metrics.nps_contribution(v) for v in (0, 6, 7, 8, 9, 10)],
            [-100.0, -100.0, 0.0, 0.0, 100.0, 100.0],
        )
        self.assertEqual(metrics.normalise(4, 1, 5), 75.0)
        self.assertEqual(metrics.weighted_index([(100.0, 3), (50.0, 1)]), 87.5)
        self.assertIsNone(metrics.weighted_index([(100.0, 0)]))

    def test_sample_formulas(self):
        # 10 answers: 5 promoters, 3 passives, 2 detractors -> NPS 30
        self.assertEqual(metrics.nps(5, 2, 10), 30.0)
        self.assertEqual(metrics.nps(10, 0, 10), 100.0)  # all promoters
        self.assertEqual(metrics.nps(0, 10, 10), -100.0)  # all detractors
        self.assertIsNone(metrics.nps(0, 0, 0))  # empty sample
        self.assertEqual(metrics.csat_pct(8, 10), 80.0)
        self.assertIsNone(metrics.csat_pct(0, 0))
        low, high = metrics.wilson_interval(8, 10)
        self.assertAlmostEqual(low, 49.016, places=2)
        self.assertAlmostEqual(high, 94.332, places=2)
        self.assertIsNone(metrics.wilson_interval(0, 0))
        low, high = metrics.nps_interval(5, 2, 10)
        # variance (0.5 + 0.2 - 0.3^2) / 10 = 0.061 -> margin 1.96 * 0.247 = 48.4
        self.assertAlmostEqual(low, 30 - 48.408, places=1)
        self.assertAlmostEqual(high, 30 + 48.408, places=1)
        self.assertEqual(metrics.nps_interval(10, 0, 10), (100.0, 100.0))

    def test_sql_matches_the_python_formulas(self):
        answers = {
            self.q_csat: 4,
            self.q_nps: 6,
            self.q_ces: 2,
            self.q_staff: 5,
            self.q_place: 5,
        }
        response = self.respond(answers)
        self.assertEqual(response.crm_iso_csat, metrics.csat_satisfied(4, 5))
        self.assertEqual(response.crm_iso_nps, metrics.nps_contribution(6))
        self.assertEqual(response.crm_iso_ces, 2.0)
        expected = metrics.weighted_index(
            [(metrics.normalise(5, 1, 5), 3), (metrics.normalise(5, 0, 10), 1)]
        )
        self.assertAlmostEqual(response.crm_iso_index, expected)  # 87.5
        self.assertTrue(response.crm_iso_low_score, "a detractor")
