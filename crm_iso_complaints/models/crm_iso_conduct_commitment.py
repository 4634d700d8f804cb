# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, date_utils

from ..tools import clock

PERIOD_STEP = {
    "month": relativedelta(months=1),
    "quarter": relativedelta(months=3),
    "year": relativedelta(years=1),
}


class CrmIsoConductCommitment(models.Model):
    """A measurable promise of a code of conduct (ISO 10001, 6.x).

    Its indicator comes from a registry, :meth:`_indicators`: a code maps to a
    label, a unit, a range, whether higher is better, whether it takes a
    parameter, and the method computing it. Another addon adds an indicator by
    extending ``_indicators`` and writing the method: ``method(commitments,
    date_from, date_to)`` returns ``{commitment id: (value, sample size)}`` for all
    the given commitments in a bounded number of queries.
    """

    _name = "crm.iso.conduct.commitment"
    _description = "Code of conduct commitment"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "code_id, sequence, id"

    code_id = fields.Many2one(
        "crm.iso.conduct.code",
        check_company=True,
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="code_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Commitment", required=True, translate=True, tracking=True
    )
    indicator = fields.Selection(
        selection="_indicator_selection", required=True, tracking=True
    )
    parameter = fields.Float(
        help="For indicators that take one: e.g. the N of 'within N working hours'."
    )
    target = fields.Float(required=True, tracking=True)
    unit = fields.Char(compute="_compute_indicator_info")
    higher_is_better = fields.Boolean(compute="_compute_indicator_info")
    at_risk_margin = fields.Float(
        default=5.0,
        help="A value missing the target by at most this much is 'at risk'.",
    )
    period = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly"), ("year", "Yearly")],
        default="month",
        required=True,
    )
    owner_id = fields.Many2one(
        "res.users",
        check_company=True,
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    snapshot_ids = fields.One2many("crm.iso.conduct.snapshot", "commitment_id")
    last_status = fields.Selection(
        related="snapshot_ids.status", string="Last period status"
    )
    current_value = fields.Float(
        compute="_compute_current", help="Achieved so far in the running period."
    )
    current_status = fields.Selection(
        [
            ("met", "Met"),
            ("at_risk", "At risk"),
            ("missed", "Missed"),
            ("no_data", "No data"),
        ],
        compute="_compute_current",
    )

    # ------------------------------------------------------------ registry
    @api.model
    def _indicators(self):
        pct = {"unit": "%", "min": 0.0, "max": 100.0}
        hours = {"unit": "h", "min": 0.0, "max": None, "higher_is_better": False}
        return {
            "ack_within_pct": dict(
                pct,
                label=self.env._("% of complaints acknowledged within N working hours"),
                higher_is_better=True,
                parameter=True,
                method="_indicator_ack_within_pct",
            ),
            "resolve_within_pct": dict(
                pct,
                label=self.env._("% of complaints resolved within N working hours"),
                higher_is_better=True,
                parameter=True,
                method="_indicator_resolve_within_pct",
            ),
            "resolve_in_time_pct": dict(
                pct,
                label=self.env._("% of complaints resolved by their deadline"),
                higher_is_better=True,
                method="_indicator_resolve_in_time_pct",
            ),
            "ack_avg_hours": dict(
                hours,
                label=self.env._("Average working hours to acknowledge"),
                method="_indicator_ack_avg_hours",
            ),
            "resolve_avg_hours": dict(
                hours,
                label=self.env._("Average working hours to resolve"),
                method="_indicator_resolve_avg_hours",
            ),
            "reopen_rate": dict(
                pct,
                label=self.env._("% of complaints reopened"),
                higher_is_better=False,
                method="_indicator_reopen_rate",
            ),
        }

    @api.model
    def _indicator_selection(self):
        return [(code, info["label"]) for code, info in self._indicators().items()]

    @api.depends("indicator")
    def _compute_indicator_info(self):
        indicators = self._indicators()
        for commitment in self:
            info = indicators.get(commitment.indicator) or {}
            commitment.unit = info.get("unit", "")
            commitment.higher_is_better = info.get("higher_is_better", True)

    @api.constrains("indicator", "target", "parameter")
    def _check_target_in_range(self):
        indicators = self._indicators()
        for commitment in self:
            info = indicators[commitment.indicator]
            low, high = info["min"], info["max"]
            if commitment.target < low or (
                high is not None and commitment.target > high
            ):
                raise ValidationError(
                    self.env._(
                        "The target %(target)s of %(name)s is outside the range of "
                        "its indicator (%(low)s to %(high)s).",
                        target=commitment.target,
                        name=commitment.name,
                        low=low,
                        high=high if high is not None else "∞",
                    )
                )
            if info.get("parameter") and commitment.parameter <= 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s needs a positive number of working hours.",
                        name=commitment.name,
                    )
                )

    # ------------------------------------------------------------ evaluation
    def _evaluate(self, date_from, date_to):
        """{commitment id: (value, sample)} for the period [date_from, date_to)."""
        by_method = defaultdict(lambda: self.browse())
        indicators = self._indicators()
        for commitment in self:
            by_method[indicators[commitment.indicator]["method"]] |= commitment
        result = {}
        for method, commitments in by_method.items():
            result.update(getattr(self, method)(commitments, date_from, date_to))
        return result

    def _status(self, value, sample):
        self.ensure_one()
        if not sample:
            return "no_data"
        gap = self.target - value if self.higher_is_better else value - self.target
        if gap <= 0:
            return "met"
        return "at_risk" if gap <= self.at_risk_margin else "missed"

    def _complaint_stats(self, commitments, date_from, date_to, value_sql, where_sql):
        """One GROUP BY over complaints received in the period, per company.

        The period's days are each company's own (``clock.company_tz``): one
        query per time zone of the companies (one, in practice).
        """
        self.env["helpdesk.ticket"].flush_model()
        by_tz = defaultdict(lambda: self.browse())
        for commitment in commitments:
            by_tz[clock.company_tz(commitment.company_id)] |= commitment
        by_company = {}
        for tz, group in by_tz.items():
            self.env.cr.execute(
                SQL(
                    """
                    SELECT company_id, %(value)s, count(*)
                      FROM helpdesk_ticket
                     WHERE is_complaint AND active
                       AND company_id IN %(companies)s
                       AND received_date >= %(date_from)s
                       AND received_date < %(date_to)s
                       AND %(where)s
                  GROUP BY company_id
                    """,
                    value=value_sql,
                    where=where_sql,
                    companies=tuple(group.company_id.ids) or (0,),
                    date_from=clock.local_midnight(tz, date_from),
                    date_to=clock.local_midnight(tz, date_to),
                )
            )
            by_company.update(
                (company, (value, count))
                for company, value, count in self.env.cr.fetchall()
            )
        return {
            c.id: (
                float(by_company.get(c.company_id.id, (0.0, 0))[0] or 0.0),
                by_company.get(c.company_id.id, (0.0, 0))[1],
            )
            for c in commitments
        }

    def _by_parameter(self, commitments, date_from, date_to, column, where):
        result = {}
        by_parameter = defaultdict(lambda: self.browse())
        for commitment in commitments:
            by_parameter[commitment.parameter] |= commitment
        for parameter, group in by_parameter.items():
            value = SQL(
                "100.0 * count(*) FILTER (WHERE %s <= %s) / count(*)",
                SQL.identifier(column),
                parameter,
            )
            result.update(
                self._complaint_stats(group, date_from, date_to, value, where)
            )
        return result

    def _indicator_ack_within_pct(self, commitments, date_from, date_to):
        return self._by_parameter(
            commitments,
            date_from,
            date_to,
            "ack_work_hours",
            SQL("acknowledged_date IS NOT NULL"),
        )

    def _indicator_resolve_within_pct(self, commitments, date_from, date_to):
        return self._by_parameter(
            commitments,
            date_from,
            date_to,
            "resolve_work_hours",
            SQL("complaint_closed_date IS NOT NULL"),
        )

    def _indicator_resolve_in_time_pct(self, commitments, date_from, date_to):
        return self._complaint_stats(
            commitments,
            date_from,
            date_to,
            SQL("100.0 * count(*) FILTER (WHERE resolve_on_time) / count(*)"),
            SQL("complaint_closed_date IS NOT NULL"),
        )

    def _indicator_ack_avg_hours(self, commitments, date_from, date_to):
        return self._complaint_stats(
            commitments,
            date_from,
            date_to,
            SQL("avg(ack_work_hours)"),
            SQL("acknowledged_date IS NOT NULL"),
        )

    def _indicator_resolve_avg_hours(self, commitments, date_from, date_to):
        return self._complaint_stats(
            commitments,
            date_from,
            date_to,
            SQL("avg(resolve_work_hours)"),
            SQL("complaint_closed_date IS NOT NULL"),
        )

    def _indicator_reopen_rate(self, commitments, date_from, date_to):
        return self._complaint_stats(
            commitments,
            date_from,
            date_to,
            SQL(
                "100.0 * count(*) FILTER (WHERE complaint_reopen_count > 0) / count(*)"
            ),
            SQL("TRUE"),
        )

    # ------------------------------------------------------------ periods
    @api.model
    def _period_bounds(self, period, day):
        start = date_utils.start_of(day, period)
        return start, start + PERIOD_STEP[period]

    @api.depends("indicator", "parameter", "target", "period")
    def _compute_current(self):
        today = fields.Date.context_today(self)
        by_period = defaultdict(lambda: self.browse())
        for commitment in self:
            by_period[commitment.period] |= commitment
        for period, commitments in by_period.items():
            start, end = self._period_bounds(period, today)
            values = commitments._evaluate(start, end)
            for commitment in commitments:
                value, sample = values.get(commitment.id, (0.0, 0))
                commitment.current_value = value
                commitment.current_status = commitment._status(value, sample)

    @api.model
    def _cron_snapshot_periods(self, today=None):
        """Store the result of every commitment for its last closed period, once.

        One job per commitment and period (channel root.crm_iso.conduct).
        Returns the snapshots stored by this call: all of them when the work
        runs at once, none when it is queued.
        """
        today = today or fields.Date.context_today(self)
        Snapshot = self.env["crm.iso.conduct.snapshot"].sudo()
        commitments = self.search([("code_id.active", "=", True)])
        existing = {
            (s.commitment_id.id, s.period_start)
            for s in Snapshot.search([("commitment_id", "in", commitments.ids)])
        }
        Job = self.env["crm.iso.job"]
        todo = set()
        for commitment in commitments:
            start, end = self._period_bounds(
                commitment.period, today - PERIOD_STEP[commitment.period]
            )
            if (commitment.id, start) in existing:
                continue
            todo.add((commitment.id, start))
            Job._crm_iso_delay(
                commitment.with_company(commitment.company_id),
                channel="root.crm_iso.conduct",
                identity_key=f"crm_iso_complaints.conduct_snapshot:"
                f"{commitment.id}:{start}",
                description=self.env._(
                    "Snapshot of %(commitment)s from %(start)s",
                    commitment=commitment.display_name,
                    start=start,
                ),
            )._crm_iso_snapshot_period(start, end)
        return Snapshot.search(
            [("commitment_id", "in", [cid for cid, _start in todo])]
        ).filtered(lambda s: (s.commitment_id.id, s.period_start) in todo)

    def _crm_iso_snapshot_period(self, start, end):
        """Job: store this commitment's result for [start, end), once.

        Idempotent: the commitment's row is locked, then an existing snapshot
        of the period (a run before a crash, a concurrent node) means done.
        """
        self.ensure_one()
        Snapshot = self.env["crm.iso.conduct.snapshot"].sudo()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_iso_conduct_commitment "
                "WHERE id = %s FOR NO KEY UPDATE",
                self.id,
            )
        )
        if Snapshot.search_count(
            [("commitment_id", "=", self.id), ("period_start", "=", start)]
        ):
            return Snapshot
        value, sample = self._evaluate(start, end)[self.id]
        with Snapshot._crm_iso_unlocked():
            snapshot = Snapshot.create(
                {
                    "commitment_id": self.id,
                    "period_start": start,
                    "period_end": end - relativedelta(days=1),
                    "value": value,
                    "sample_size": sample,
                    "target": self.target,
                    "status": self._status(value, sample),
                }
            )
        snapshot.filtered(lambda s: s.status == "missed")._notify_owners()
        return snapshot
