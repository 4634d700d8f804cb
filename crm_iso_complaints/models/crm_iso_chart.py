# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dashboards' charts, computed on the server, drawn by one widget.

:meth:`CrmIsoChart.get_charts` is the one documented entry point: it returns, for
a period, a list of charts ready for Chart.js::

    {"name": "complaints_trend", "title": "...", "type": "bar" | "line",
     "stacked": bool, "labels": ["Jan 2026", ...],
     "datasets": [{"label": "...", "data": [3, 5, ...], "model": "helpdesk.ticket",
                   "domains": [[...], [...], ...], "type": "line"?, "axis": "y1"?}]}

``domains[i]`` is the domain of ``model`` behind the point ``data[i]``: the
widget (``crm_iso_charts``) opens exactly those records when the point is
clicked. Months are the reader's calendar: Jalali months (Farvardin...) with
Persian digits for a Persian reader, Gregorian ones otherwise; datetimes are cut
at midnight in the reader's time zone, as Odoo's pivot does.

Each series is one ``_read_group`` (by day, summed into months in Python), so a
chart costs a fixed number of queries whatever the volume; every domain is
walled to the user's allowed companies (and record rules apply).

An addon adds a chart with a builder method ``_chart_<name>(period)`` and an
entry in :meth:`_chart_builders` (name -> the models it reads).
"""

from collections import namedtuple
from datetime import datetime, timedelta

import jdatetime
from babel.dates import format_date

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.misc import babel_locale_parse

from ..tools import clock

MAX_DAYS = 3 * 366

Bucket = namedtuple("Bucket", "label start stop")  # [start, stop) dates
Period = namedtuple("Period", "start stop buckets")


class CrmIsoChart(models.AbstractModel):
    _name = "crm.iso.chart"
    _description = "Dashboard charts"

    # ------------------------------------------------------------ entry point
    @api.model
    @api.readonly
    def get_charts(self, names, date_from, date_to):
        """The charts ``names`` (see :meth:`_chart_builders`) for the days
        ``date_from`` to ``date_to`` included, cut in months; a chart whose
        records the user may not read is left out."""
        builders = self._chart_builders()
        if not isinstance(names, (list, tuple)) or not all(
            isinstance(name, str) and name in builders for name in names
        ):
            raise UserError(
                self.env._(
                    "Unknown chart in %(names)r: use some of %(known)s.",
                    names=names,
                    known=", ".join(sorted(builders)),
                )
            )
        period = self._chart_period(date_from, date_to)
        return [
            getattr(self, f"_chart_{name}")(period)
            for name in names
            if all(self.env[model].has_access("read") for model in builders[name])
        ]

    @api.model
    def _chart_builders(self):
        """Chart name -> the models it reads; the builder is ``_chart_<name>``."""
        return {
            "complaints_trend": ("helpdesk.ticket",),
            "complaints_by_category": ("helpdesk.ticket",),
            "sla_by_team": ("helpdesk.ticket",),
            "disputes": ("crm.iso.dispute",),
        }

    # ----------------------------------------------------------------- period
    @api.model
    def _chart_period(self, date_from, date_to):
        """The period's months in the reader's calendar, the first and last
        cut at ``date_from`` and ``date_to``; a readable refusal of a bad one."""
        try:
            start = fields.Date.to_date(date_from)
            end = fields.Date.to_date(date_to)
        except (TypeError, ValueError, AttributeError):
            start = end = None
        if not start or not end or start > end or (end - start).days > MAX_DAYS:
            raise UserError(
                self.env._(
                    "The chart period %(start)r - %(end)r cannot be drawn: give two"
                    " dates (YYYY-MM-DD), the first not after the second, at most"
                    " three years apart.",
                    start=date_from,
                    end=date_to,
                )
            )
        stop = end + timedelta(days=1)
        buckets = []
        month = self._chart_month_start(start)
        while month < stop:
            following = self._chart_month_start(month + timedelta(days=32))
            buckets.append(
                Bucket(
                    self._chart_month_label(month),
                    max(month, start),
                    min(following, stop),
                )
            )
            month = following
        return Period(start, stop, buckets)

    def _chart_is_persian(self):
        return (self.env.lang or "").startswith("fa")

    def _chart_month_start(self, day):
        """The first day of ``day``'s month in the reader's calendar."""
        if self._chart_is_persian():
            jday = jdatetime.date.fromgregorian(date=day)
            return jday.replace(day=1).togregorian()
        return day.replace(day=1)

    def _chart_month_label(self, month):
        if self._chart_is_persian():
            jday = jdatetime.date.fromgregorian(date=month)
            label = f"{jdatetime.date.j_months_fa[jday.month - 1]} {jday.year}"
            return clock.digits(label, self.env.lang)
        locale = babel_locale_parse(self.env.lang or "en_US")
        return format_date(month, "MMM yyyy", locale=locale)

    # ---------------------------------------------------------------- series
    def _chart_bound(self, model, date_field, day):
        """``day``'s midnight as ``date_field`` of ``model`` stores it (UTC
        datetime at the reader's midnight, or the date), as a string."""
        if self.env[model]._fields[date_field].type == "date":
            return fields.Date.to_string(day)
        return fields.Datetime.to_string(clock.local_midnight(str(self.env.tz), day))

    def _chart_within(self, model, date_field, start, stop):
        """The domain of ``date_field`` in the days [start, stop), walled to
        the user's allowed companies."""
        return Domain.AND(
            [
                [("company_id", "in", self.env.companies.ids)],
                [(date_field, ">=", self._chart_bound(model, date_field, start))],
                [(date_field, "<", self._chart_bound(model, date_field, stop))],
            ]
        )

    def _chart_series(self, period, label, model, domain, date_field, measure=None):
        """One dataset per month of ``period``: the number of ``model`` records
        matching ``domain`` whose ``date_field`` falls in the month, or the
        average of ``measure`` over them (None for a month without a value).
        One ``_read_group`` by day in the reader's time zone."""
        Model = self.env[model].with_context(tz=str(self.env.tz))
        aggregates = [f"{measure}:sum", f"{measure}:count"] if measure else ["__count"]
        rows = Model._read_group(
            Domain(domain) & self._chart_within(model, date_field, *period[:2]),
            [f"{date_field}:day"],
            aggregates,
        )
        totals = [[0, 0] for __ in period.buckets]
        starts = [bucket.start for bucket in period.buckets]
        for day, *values in rows:
            day = day.date() if isinstance(day, datetime) else day
            index = max(i for i, start in enumerate(starts) if start <= day)
            total = totals[index]
            total[0] += values[0]
            total[1] += values[-1]
        data = [
            (total / count if count else None) if measure else total
            for total, count in totals
        ]
        return self._chart_dataset(
            label,
            model,
            data,
            [
                list(
                    Domain(domain)
                    & self._chart_within(model, date_field, b.start, b.stop)
                )
                for b in period.buckets
            ],
        )

    def _chart_by(self, period, model, domain, date_field, groupby, measure=None):
        """``{group: count (or average of measure)}`` of the ``model`` records
        matching ``domain`` with ``date_field`` in the period, and the domain
        of the group's records, ``{group: domain}``: one ``_read_group``."""
        within = Domain(domain) & self._chart_within(model, date_field, *period[:2])
        aggregates = [f"{measure}:avg"] if measure else ["__count"]
        values, domains = {}, {}
        for group, value in self.env[model]._read_group(within, [groupby], aggregates):
            values[group] = value
            domains[group] = list(within & Domain(groupby, "=", group.id or False))
        return values, domains

    def _chart_dataset(self, label, model, data, domains, **options):
        """A dataset; ``options``: ``type`` (a line in a bar chart), ``axis``
        (``y1``: the second value axis)."""
        return dict(options, label=label, model=model, data=data, domains=domains)

    def _chart(self, name, title, labels, datasets, kind="bar", stacked=False):
        return {
            "name": name,
            "title": title,
            "type": kind,
            "stacked": stacked,
            "labels": labels,
            "datasets": datasets,
        }

    def _chart_labels(self, period):
        return [bucket.label for bucket in period.buckets]

    # ------------------------------------------------------------ complaints
    def _chart_complaints_trend(self, period):
        """Complaints received per month and, of them, those answered in time
        (closed within their resolution deadline)."""
        received = Domain("is_complaint", "=", True)
        in_time = received & Domain("complaint_closed_date", "!=", False)
        in_time &= Domain("complaint_resolve_on_time", "=", True)
        _ = self.env._
        return self._chart(
            "complaints_trend",
            _("Complaints per month"),
            self._chart_labels(period),
            [
                self._chart_series(
                    period,
                    _("Received"),
                    "helpdesk.ticket",
                    received,
                    "complaint_received_date",
                ),
                self._chart_series(
                    period,
                    _("Answered in time"),
                    "helpdesk.ticket",
                    in_time,
                    "complaint_received_date",
                ),
            ],
        )

    def _chart_complaints_by_category(self, period):
        """Complaints received in the period per category."""
        values, domains = self._chart_by(
            period,
            "helpdesk.ticket",
            Domain("is_complaint", "=", True),
            "complaint_received_date",
            "category_id",
        )
        groups = sorted(values, key=lambda group: -values[group])
        _ = self.env._
        return self._chart(
            "complaints_by_category",
            _("Complaints by category"),
            [group.display_name or _("No category") for group in groups],
            [
                self._chart_dataset(
                    _("Complaints"),
                    "helpdesk.ticket",
                    [values[group] for group in groups],
                    [domains[group] for group in groups],
                )
            ],
        )

    def _chart_sla_by_team(self, period):
        """Complaints closed in the period per team: answered within their
        deadline and late, stacked (the bar is the team's closed complaints)."""
        closed = Domain("is_complaint", "=", True)
        _ = self.env._
        kinds = [
            (_("Answered in time"), Domain("complaint_resolve_on_time", "=", True)),
            (_("Late"), Domain("complaint_resolve_on_time", "!=", True)),
        ]
        counted = [
            self._chart_by(
                period,
                "helpdesk.ticket",
                closed & kind,
                "complaint_closed_date",
                "team_id",
            )
            for __, kind in kinds
        ]
        teams = sorted(
            set().union(*(values for values, __ in counted)),
            key=lambda team: team.display_name or "",
        )
        return self._chart(
            "sla_by_team",
            _("Deadline compliance by team"),
            [team.display_name or _("No team") for team in teams],
            [
                self._chart_dataset(
                    label,
                    "helpdesk.ticket",
                    [values.get(team, 0) for team in teams],
                    [domains.get(team, [("id", "=", False)]) for team in teams],
                )
                for (label, __), (values, domains) in zip(kinds, counted, strict=True)
            ],
            stacked=True,
        )

    # --------------------------------------------------------------- disputes
    @api.model
    def _dispute_domains(self, start, stop):
        """Disputes opened, closed, and open at some time in the days
        [start, stop): proposed before the end, not closed before the start."""
        start, stop = fields.Date.to_string(start), fields.Date.to_string(stop)
        before_end = Domain("proposed_date", "<", stop)
        not_closed_before = Domain("closed_date", "=", False) | Domain(
            "closed_date", ">=", start
        )
        company = Domain("company_id", "in", self.env.companies.ids)
        return {
            "opened": company & Domain("proposed_date", ">=", start) & before_end,
            "closed": company
            & Domain("closed_date", ">=", start)
            & Domain("closed_date", "<", stop),
            "open_period": company & before_end & not_closed_before,
        }

    def _chart_disputes(self, period):
        """Disputes opened, closed and open per month (open: at any time in
        the month, not only now). One ``_read_group`` over the period."""
        every = self._dispute_domains(period.start, period.stop)["open_period"]
        rows = self.env["crm.iso.dispute"]._read_group(
            every, ["proposed_date:day", "closed_date:day"], ["__count"]
        )
        counts = {"opened": [], "closed": [], "open_period": []}
        domains = {"opened": [], "closed": [], "open_period": []}
        for bucket in period.buckets:
            start, stop = bucket.start, bucket.stop
            counts["opened"].append(
                sum(n for opened, __, n in rows if start <= opened < stop)
            )
            counts["closed"].append(
                sum(n for __, closed, n in rows if closed and start <= closed < stop)
            )
            counts["open_period"].append(
                sum(
                    n
                    for opened, closed, n in rows
                    if opened < stop and (not closed or closed >= start)
                )
            )
            for kind, domain in self._dispute_domains(start, stop).items():
                domains[kind].append(list(domain))
        _ = self.env._
        labels = {
            "opened": _("Opened"),
            "closed": _("Closed"),
            "open_period": _("Open in the month"),
        }
        return self._chart(
            "disputes",
            _("Dispute resolution cases per month"),
            self._chart_labels(period),
            [
                self._chart_dataset(
                    labels[kind],
                    "crm.iso.dispute",
                    counts[kind],
                    domains[kind],
                    **({"type": "line"} if kind == "open_period" else {}),
                )
                for kind in ("opened", "closed", "open_period")
            ],
        )

    # ------------------------------------------------------------- defaults
    @api.model
    def _chart_default_period(self):
        """The last twelve months of the reader's calendar, to today."""
        today = fields.Date.context_today(self)
        start = self._chart_month_start(today)
        for __ in range(11):
            start = self._chart_month_start(start - timedelta(days=1))
        return start, today
