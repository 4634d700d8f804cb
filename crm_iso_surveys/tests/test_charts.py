# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestSatisfactionChart(SatisfactionCase):
    """NPS, CSAT and responses per month against hand-computed values."""

    def _respond_on(self, when, nps, csat, done=True, **vals):
        with freeze_time(when):
            return self.respond({self.q_nps: nps, self.q_csat: csat}, done=done, **vals)

    def test_nps_and_csat_per_month_by_hand(self):
        at_counter = {"crm_iso_touchpoint_id": self.touchpoint.id}
        promoter = self._respond_on(datetime(2024, 1, 10, 9), 10, 5, **at_counter)
        detractor = self._respond_on(datetime(2024, 1, 20, 9), 3, 2, **at_counter)
        self._respond_on(datetime(2024, 1, 21, 9), 0, 1, done=False)  # not answered
        february = self._respond_on(datetime(2024, 2, 2, 9), 9, 4)
        Chart = self.env["crm.iso.chart"].with_user(self.analyst)
        Chart = Chart.with_context(tz="UTC", lang="en_US")
        (chart,) = Chart.get_charts(["satisfaction_trend"], "2024-01-01", "2024-03-31")
        nps, csat, responses = chart["datasets"]
        self.assertEqual(chart["labels"], ["Jan 2024", "Feb 2024", "Mar 2024"])
        # January: a promoter and a detractor -> NPS 0; one satisfied of two
        self.assertEqual(nps["data"], [0.0, 100.0, None])
        self.assertEqual(csat["data"], [50.0, 100.0, None])
        self.assertEqual(responses["data"], [2, 1, 0])
        self.assertEqual((nps["type"], responses["axis"]), ("line", "y1"))
        Report = self.env["crm.iso.satisfaction.report"]
        self.assertEqual(
            Report.search(nps["domains"][0]).response_id, promoter | detractor
        )
        self.assertEqual(Report.search(responses["domains"][1]).response_id, february)
        (chart,) = Chart.get_charts(
            ["satisfaction_by_touchpoint"], "2024-01-01", "2024-03-31"
        )
        counter = chart["labels"].index(self.touchpoint.display_name)
        nps, csat = chart["datasets"]
        self.assertEqual((nps["data"][counter], csat["data"][counter]), (0.0, 50.0))
        self.assertEqual(
            Report.search(nps["domains"][counter]).response_id, promoter | detractor
        )

    def test_satisfaction_board(self):
        board = (
            self.env["crm.iso.chart.board"]
            .with_user(self.analyst)
            .create({"board": "satisfaction"})
        )
        self.assertEqual(
            [chart["name"] for chart in board.charts],
            ["satisfaction_trend", "satisfaction_by_touchpoint"],
        )
