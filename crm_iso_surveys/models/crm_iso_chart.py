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
            satisfaction_by_touchpoint=("crm.iso.satisfaction.report",),
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

    def _chart_satisfaction_by_touchpoint(self, period):
        """NPS and CSAT % of the surveys answered in the period per touchpoint
        (where the customer met the company)."""
        model, answered = "crm.iso.satisfaction.report", Domain("done", "=", True)
        _ = self.env._
        kpis = [
            (
                _("NPS"),
                *self._chart_by(
                    period, model, answered, "date", "crm_iso_touchpoint_id", "nps"
                ),
            ),
            (
                _("CSAT %"),
                *self._chart_by(
                    period, model, answered, "date", "crm_iso_touchpoint_id", "csat"
                ),
            ),
        ]
        touchpoints = sorted(
            set().union(*(values for __, values, __ in kpis)),
            key=lambda touchpoint: touchpoint.display_name or "",
        )
        return self._chart(
            "satisfaction_by_touchpoint",
            _("Satisfaction by touchpoint"),
            [tp.display_name or _("No touchpoint") for tp in touchpoints],
            [
                self._chart_dataset(
                    label,
                    model,
                    [values.get(tp) for tp in touchpoints],
                    [domains[tp] for tp in touchpoints],
                )
                for label, values, domains in kpis
            ],
        )
