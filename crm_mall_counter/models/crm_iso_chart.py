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
            competitors=("crm.mall.competitor.report",),
        )

    def _chart_competitors(self, period):
        """Our score and each competitor's, per criterion, over the months of
        the period that have benchmark visits: the averages of the monthly
        scores of crm.mall.competitor.report (where the criterion score is
        defined). One ``_read_group``; a bar opens the months behind it."""
        model = "crm.mall.competitor.report"
        within = Domain.AND(
            [
                [("company_id", "in", self.env.companies.ids)],
                [("period", ">=", self._chart_bound(model, "period", period.start))],
                [("period", "<", self._chart_bound(model, "period", period.stop))],
            ]
        )
        # one row per criterion, competitor and month
        rows = self.env[model]._read_group(
            within,
            ["item_id", "competitor_id", "period:day"],
            ["score:avg", "own_score:avg"],
        )
        monthly, own_monthly = {}, {}
        for item, competitor, month, score, own_score in rows:
            monthly.setdefault((item, competitor), []).append(score)
            if own_score is not None:
                own_monthly.setdefault(item, {})[month] = own_score
        items = sorted({key[0] for key in monthly}, key=lambda i: i.display_name)
        competitors = sorted({key[1] for key in monthly}, key=lambda c: c.name)

        def mean(values):
            return sum(values) / len(values) if values else None

        scores = {key: mean(values) for key, values in monthly.items()}
        own = {item: mean(list(own_monthly.get(item, {}).values())) for item in items}
        nothing = [("id", "=", False)]
        _ = self.env._
        return self._chart(
            "competitors",
            _("Our mall and the competitors per criterion"),
            [item.display_name for item in items],
            [
                self._chart_dataset(
                    _("Our mall"),
                    model,
                    [own[item] for item in items],
                    [list(within & Domain("item_id", "=", item.id)) for item in items],
                    type="line",
                ),
                *(
                    self._chart_dataset(
                        competitor.name,
                        model,
                        [scores.get((item, competitor)) for item in items],
                        [
                            list(
                                within
                                & Domain("item_id", "=", item.id)
                                & Domain("competitor_id", "=", competitor.id)
                            )
                            if (item, competitor) in scores
                            else nothing
                            for item in items
                        ],
                    )
                    for competitor in competitors
                ),
            ],
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
