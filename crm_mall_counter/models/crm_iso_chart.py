# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.fields import Domain


class CrmIsoChart(models.AbstractModel):
    _inherit = "crm.iso.chart"

    @api.model
    def _chart_builders(self):
        return dict(
            super()._chart_builders(),
            counters=(
                "crm.mall.counter",
                "crm.mall.visit",
                "crm.mall.subject",
                "crm.iso.satisfaction.report",
            ),
            waiting_time=("crm.mall.visit",),
        )

    def _chart_waiting_time(self, period):
        """The average wait (arrival to call, ``wait_minutes``: the same figure
        as ``crm.mall.visit._queue_figures``) of the visitors called, per month
        of their arrival."""
        _ = self.env._
        return self._chart(
            "waiting_time",
            _("Waiting time per month"),
            self._chart_labels(period),
            [
                self._chart_series(
                    period,
                    _("Average wait (minutes)"),
                    "crm.mall.visit",
                    Domain("call_time", "!=", False),
                    "checkin_date",
                    "wait_minutes",
                )
            ],
            kind="line",
        )

    def _chart_counters(self, period):
        """The active counters side by side over the period: visits, complaint
        subjects registered and the NPS of the surveys answered about them."""
        visits, visit_domains = self._chart_by(
            period, "crm.mall.visit", Domain.TRUE, "checkin_date", "counter_id"
        )
        complaints, complaint_domains = self._chart_by(
            period,
            "crm.mall.subject",
            Domain("subject_type", "=", "complaint"),
            "create_date",
            "counter_id",
        )
        nps, nps_domains = self._chart_by(
            period,
            "crm.iso.satisfaction.report",
            Domain("done", "=", True),
            "date",
            "counter_id",
            "nps",
        )
        counters = self.env["crm.mall.counter"].search(
            [("company_id", "in", self.env.companies.ids)]
        )
        nothing = [("id", "=", False)]
        _ = self.env._
        return self._chart(
            "counters",
            _("Counters side by side"),
            counters.mapped("display_name"),
            [
                self._chart_dataset(
                    _("Visits"),
                    "crm.mall.visit",
                    [visits.get(counter, 0) for counter in counters],
                    [visit_domains.get(counter, nothing) for counter in counters],
                ),
                self._chart_dataset(
                    _("Complaints"),
                    "crm.mall.subject",
                    [complaints.get(counter, 0) for counter in counters],
                    [complaint_domains.get(counter, nothing) for counter in counters],
                ),
                self._chart_dataset(
                    _("NPS"),
                    "crm.iso.satisfaction.report",
                    [nps.get(counter) for counter in counters],
                    [nps_domains.get(counter, nothing) for counter in counters],
                    type="line",
                    axis="y1",
                ),
            ],
        )
