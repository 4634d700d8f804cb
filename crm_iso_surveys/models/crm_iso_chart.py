# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.fields import Domain


class CrmIsoChart(models.AbstractModel):
    _inherit = "crm.iso.chart"

    @api.model
    def _chart_builders(self):
        return dict(
            super()._chart_builders(),
            satisfaction_trend=("crm.iso.satisfaction.report",),
        )

    def _chart_satisfaction_trend(self, period):
        """NPS and CSAT % of the answered surveys per month (the averages of
        the report's +100/0/-100 and 100/0 columns), and the responses."""
        model, answered = "crm.iso.satisfaction.report", Domain("done", "=", True)
        _ = self.env._
        return self._chart(
            "satisfaction_trend",
            _("Satisfaction per month"),
            self._chart_labels(period),
            [
                dict(
                    self._chart_series(
                        period, _("NPS"), model, answered, "date", "nps"
                    ),
                    type="line",
                ),
                dict(
                    self._chart_series(
                        period, _("CSAT %"), model, answered, "date", "csat"
                    ),
                    type="line",
                ),
                dict(
                    self._chart_series(period, _("Responses"), model, answered, "date"),
                    axis="y1",
                ),
            ],
        )
