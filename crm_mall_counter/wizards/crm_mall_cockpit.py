# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

from odoo.addons.crm_iso_complaints.tools import clock, formulas, jalali

PERIODS = [("today", "Today"), ("week", "Last 7 days"), ("month", "Last 30 days")]
PERIOD_DAYS = {"today": 0, "week": 6, "month": 29}
# figure -> (the model it counts, the action its drill-down button opens); the
# domain of both is _figure_domain(figure): the button shows what the figure counts
DRILL_DOWNS = {
    "visits": ("crm.mall.visit", "crm_mall_counter.action_crm_mall_visits"),
    "calls": ("crm.mall.visit", "crm_mall_counter.action_crm_mall_visits"),
    "complaints_received": (
        "helpdesk.ticket",
        "crm_iso_complaints.action_crm_iso_complaints",
    ),
    "complaints_open": (
        "helpdesk.ticket",
        "crm_iso_complaints.action_crm_iso_complaints",
    ),
    "complaints_overdue": (
        "helpdesk.ticket",
        "crm_iso_complaints.action_crm_iso_overdue_complaints",
    ),
    "disputes_open": ("crm.iso.dispute", "crm_iso_complaints.action_crm_iso_disputes"),
    "disputes_opened": (
        "crm.iso.dispute",
        "crm_iso_complaints.action_crm_iso_disputes",
    ),
    "disputes_closed": (
        "crm.iso.dispute",
        "crm_iso_complaints.action_crm_iso_disputes",
    ),
    "disputes_open_period": (
        "crm.iso.dispute",
        "crm_iso_complaints.action_crm_iso_disputes",
    ),
    "qc_inspections": (
        "crm.mall.qc.inspection",
        "crm_mall_counter.action_crm_mall_qc_inspections",
    ),
    "qc_orders_overdue": (
        "mgmtsystem.action",
        "crm_mall_counter.action_crm_mall_qc_action_orders",
    ),
    "shifts": ("crm.mall.shift", "crm_mall_counter.action_crm_mall_shifts"),
}


class CrmMallCockpit(models.TransientModel):
    """Senior management's cockpit: counters, call centre, complaints, disputes,
    QC and satisfaction for a period, each figure a read_group or a count, so it
    opens with a bounded number of queries whatever the volume of data."""

    _name = "crm.mall.cockpit"
    _inherit = ["crm.iso.dashboard.mixin"]
    _description = "Management cockpit"

    period = fields.Selection(PERIODS, default="month", required=True)
    date_from = fields.Datetime(string="From", compute="_compute_figures")
    visits = fields.Integer(compute="_compute_figures")
    calls = fields.Integer(compute="_compute_figures")
    complaints_received = fields.Integer(
        string="Complaints received", compute="_compute_figures"
    )
    complaints_open = fields.Integer(
        string="Complaints open", compute="_compute_figures"
    )
    complaints_overdue = fields.Integer(
        string="Complaints overdue", compute="_compute_figures"
    )
    ack_in_time_pct = fields.Float(
        string="% acknowledged in time", compute="_compute_figures"
    )
    disputes_open = fields.Integer(string="Disputes open", compute="_compute_figures")
    disputes_opened = fields.Integer(
        string="Disputes opened", compute="_compute_figures"
    )
    disputes_closed = fields.Integer(
        string="Disputes closed", compute="_compute_figures"
    )
    disputes_open_period = fields.Integer(
        string="Disputes open in the period",
        compute="_compute_figures",
        help="Cases open at some time in the period: proposed before its end and "
        "not closed before its start.",
    )
    qc_inspections = fields.Integer(string="Inspections", compute="_compute_figures")
    qc_score = fields.Float(string="Average QC score %", compute="_compute_figures")
    qc_orders_overdue = fields.Integer(
        string="Overdue action orders", compute="_compute_figures"
    )
    shifts = fields.Integer(string="Shifts started", compute="_compute_figures")
    shifts_certified_pct = fields.Float(
        string="Shifts staffed by certified people %", compute="_compute_figures"
    )
    nps = fields.Float(string="NPS", compute="_compute_figures")
    csat = fields.Float(string="CSAT %", compute="_compute_figures")
    responses = fields.Integer(string="Survey responses", compute="_compute_figures")
    nps_target = fields.Float(string="NPS target", compute="_compute_figures")
    csat_target = fields.Float(string="CSAT target", compute="_compute_figures")
    commitments_met = fields.Integer(
        string="Commitments met", compute="_compute_figures"
    )
    commitments_missed = fields.Integer(
        string="Commitments missed", compute="_compute_figures"
    )
    # the last twelve months, one chart per entry of _cockpit_charts()
    charts = fields.Json(compute="_compute_charts")
    # stored rows (refreshed by the server when the period changes): readable
    # over RPC and in the form like any one2many
    counter_line_ids = fields.One2many(
        "crm.mall.cockpit.line", "cockpit_id", string="Counters", readonly=True
    )

    def _compute_display_name(self):
        for cockpit in self:
            cockpit.display_name = self.env._("Management cockpit")

    def _tz(self):
        """The mall's clock: the current company's zone, whoever looks."""
        return clock.company_tz(self.env.company)

    def _today(self):
        """Today in the company's time zone."""
        return clock.local_date(self._tz())

    def _start_date(self):
        """The period's first day, in the company's time zone."""
        return self._today() - timedelta(days=PERIOD_DAYS[self.period])

    def _start(self):
        """The period's first midnight in the company's time zone, in UTC."""
        return clock.local_midnight(self._tz(), self._start_date())

    @api.depends("period")
    def _compute_figures(self):
        for cockpit in self:
            cockpit.update(cockpit._figures())

    @api.model
    def _cockpit_charts(self):
        """The charts of the cockpit (see crm.iso.chart.get_charts)."""
        return [
            "satisfaction_trend",
            "complaints_trend",
            "complaints_by_category",
            "sla_by_team",
            "counters",
            "waiting_time",
            "disputes",
            "competitors",
        ]

    @api.depends("period")
    def _compute_charts(self):
        Chart = self.env["crm.iso.chart"]
        charts = Chart.get_charts(
            self._cockpit_charts(), *Chart._chart_default_period()
        )
        for cockpit in self:
            cockpit.charts = charts

    @api.onchange("period")
    def _onchange_period(self):
        """The counter lines of a cockpit being edited (the server stores them
        when it is saved)."""
        self.counter_line_ids = [fields.Command.clear()] + [
            fields.Command.create(values)
            for values in self._counter_line_values(self._start())
        ]

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            {k: v for k, v in vals.items() if k != "counter_line_ids"}
            for vals in vals_list
        ]
        cockpits = super().create(vals_list)
        cockpits._refresh_lines()
        return cockpits

    def write(self, vals):
        vals = {k: v for k, v in vals.items() if k != "counter_line_ids"}
        result = super().write(vals)
        if "period" in vals:
            self._refresh_lines()
        return result

    def _refresh_lines(self):
        """Count the lines again (the client never writes them)."""
        self.counter_line_ids.unlink()
        Line = self.env["crm.mall.cockpit.line"]
        for cockpit in self:
            Line.create(
                [
                    dict(values, cockpit_id=cockpit.id)
                    for values in cockpit._counter_line_values(cockpit._start())
                ]
            )

    def _figure_domain(self, figure):
        """The records a figure counts: the same domain for the count and for
        its drill-down button."""
        self.ensure_one()
        start = self._start()
        since = Domain("checkin_date", ">=", start)
        complaint = Domain("is_complaint", "=", True)
        open_complaint = complaint & Domain(
            "complaint_state", "not in", formulas.FINAL_STATES
        )
        return {
            "visits": since & Domain("channel", "=", "counter"),
            "calls": since & Domain("channel", "=", "call_centre"),
            "complaints_received": complaint & Domain("received_date", ">=", start),
            "complaints_open": open_complaint,
            "complaints_overdue": open_complaint
            & Domain("complaint_is_overdue", "=", True),
            "disputes_open": Domain("state", "!=", "closed"),
            **{
                f"disputes_{kind}": domain
                for kind, domain in self.env["crm.iso.chart"]
                ._dispute_domains(self._start_date(), self._today() + timedelta(days=1))
                .items()
            },
            "qc_inspections": Domain("date", ">=", self._start_date())
            & Domain("state", "!=", "draft")
            & Domain("competitor_id", "=", False),
            "shifts": Domain("start", ">=", start)
            & Domain("start", "<=", fields.Datetime.now()),
            "qc_orders_overdue": Domain("crm_iso_origin", "=", "qc")
            & Domain("crm_iso_state", "=", "open")
            & Domain("date_deadline", "<", self._today()),
        }[figure]

    def _count(self, figure):
        model = DRILL_DOWNS[figure][0]
        return self.env[model].search_count(self._figure_domain(figure))

    def _figures(self):
        self.ensure_one()
        start = self._start()
        env = self.env
        kpi = env["crm.iso.complaint.report"].get_kpis([("received_date", ">=", start)])
        satisfaction = env["crm.iso.satisfaction.report"].get_kpis(
            [("date", ">=", start), ("done", "=", True)]
        )
        plan = env["crm.iso.measurement.plan"].search([], limit=1)
        commitments = env["crm.iso.conduct.commitment"].search(
            [("code_id.active", "=", True)]
        )
        statuses = commitments.mapped("current_status")
        qc = env["crm.mall.qc.inspection"]._read_group(
            self._figure_domain("qc_inspections"), [], ["__count", "score:avg"]
        )[0]
        shifts, certified = env["crm.mall.competence"]._crm_mall_shift_share(
            env["crm.mall.shift"].search(self._figure_domain("shifts"))
        )
        return {
            "date_from": start,
            "shifts": shifts,
            "shifts_certified_pct": 100.0 * certified / shifts if shifts else 0.0,
            "visits": self._count("visits"),
            "calls": self._count("calls"),
            "complaints_received": self._count("complaints_received"),
            "complaints_open": self._count("complaints_open"),
            "complaints_overdue": self._count("complaints_overdue"),
            "ack_in_time_pct": (kpi[0]["ack_in_time_pct"] or 0.0) if kpi else 0.0,
            "disputes_open": self._count("disputes_open"),
            "disputes_opened": self._count("disputes_opened"),
            "disputes_closed": self._count("disputes_closed"),
            "disputes_open_period": self._count("disputes_open_period"),
            "qc_inspections": qc[0],
            "qc_score": qc[1] or 0.0,
            "qc_orders_overdue": self._count("qc_orders_overdue"),
            "nps": (satisfaction[0]["nps"] or 0.0) if satisfaction else 0.0,
            "csat": (satisfaction[0]["csat"] or 0.0) if satisfaction else 0.0,
            "responses": satisfaction[0]["responses"] if satisfaction else 0,
            "nps_target": plan.nps_target,
            "csat_target": plan.csat_target,
            "commitments_met": statuses.count("met"),
            "commitments_missed": statuses.count("missed"),
        }

    def _counter_line_values(self, start):
        env = self.env
        visits = dict(
            env["crm.mall.visit"]._read_group(
                [("checkin_date", ">=", start), ("counter_id", "!=", False)],
                ["counter_id"],
                ["__count"],
            )
        )
        complaints = dict(
            env["crm.mall.subject"]._read_group(
                [("create_date", ">=", start), ("subject_type", "=", "complaint")],
                ["counter_id"],
                ["__count"],
            )
        )
        queue = {
            row["counter_id"]: row
            for row in env["crm.mall.visit"]._queue_figures(
                [("checkin_date", ">=", start), ("counter_id", "!=", False)],
                ["counter_id"],
            )
        }
        satisfaction = {
            row["key"]: row
            for row in env["crm.iso.satisfaction.report"].get_kpis(
                [("date", ">=", start), ("done", "=", True)], "counter_id"
            )
        }
        lines = []
        for counter in env["crm.mall.counter"].search([("active", "=", True)]):
            sat = satisfaction.get(counter.id) or {}
            figures = queue.get(counter) or {}
            lines.append(
                {
                    "counter_id": counter.id,
                    "zone": counter.zone,
                    "visits": visits.get(counter, 0),
                    "complaints": complaints.get(counter, 0),
                    "avg_wait": figures.get("avg_wait", 0.0),
                    "p90_wait": figures.get("p90_wait", 0.0),
                    "no_show_rate": figures.get("no_show_rate", 0.0),
                    "within_level": figures.get("within_level", 0.0),
                    "nps": sat.get("nps") or 0.0,
                    "responses": sat.get("responses", 0),
                }
            )
        return lines

    def _open_figure(self, figure):
        """The drill-down of a figure: exactly the records it counts (the
        action's own domain and default filters give way to the figure's)."""
        self.ensure_one()
        xmlid = DRILL_DOWNS[figure][1]
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        context = action.get("context") or {}
        if isinstance(context, str):
            context = safe_eval(context, {"uid": self.env.uid})
        action["context"] = {
            k: v for k, v in context.items() if not k.startswith("search_default_")
        }
        action["domain"] = list(self._figure_domain(figure))
        action["name"] = self._fields[figure]._description_string(self.env)
        return action

    def action_open_visits(self):
        return self._open_figure("visits")

    def action_open_calls(self):
        return self._open_figure("calls")

    def action_open_received(self):
        return self._open_figure("complaints_received")

    def action_open_open_complaints(self):
        return self._open_figure("complaints_open")

    def action_open_overdue(self):
        return self._open_figure("complaints_overdue")

    def action_open_disputes(self):
        return self._open_figure("disputes_open")

    def action_open_disputes_opened(self):
        return self._open_figure("disputes_opened")

    def action_open_disputes_closed(self):
        return self._open_figure("disputes_closed")

    def action_open_disputes_open_period(self):
        return self._open_figure("disputes_open_period")

    def action_open_inspections(self):
        return self._open_figure("qc_inspections")

    def action_open_shifts(self):
        return self._open_figure("shifts")

    def action_open_overdue_orders(self):
        return self._open_figure("qc_orders_overdue")

    def _review(self):
        """The management review of the cockpit's period and company: the open
        one, its inputs pulled again, or a closed one as it was presented, or a
        new one with the inputs pulled."""
        self.ensure_one()
        date_from, date_to = self._start_date(), self._today()
        Review = self.env["mgmtsystem.review"]
        company = self.env.company
        reviews = Review.search(
            [
                ("company_id", "=", company.id),
                ("crm_iso_date_from", "=", date_from),
                ("crm_iso_date_to", "=", date_to),
            ],
            order="state, id desc",  # done before open: a closed one was presented
        )
        review = reviews[:1]
        if not review:
            review = Review.create(
                {
                    # the OCA review's name holds 50 characters
                    "name": self.env._(
                        "Management review %(start)s - %(end)s",
                        start=jalali.format_local(date_from, self.env.user.lang),
                        end=jalali.format_local(date_to, self.env.user.lang),
                    )[:50],
                    "date": fields.Datetime.now(),
                    "company_id": company.id,
                    "crm_iso_date_from": date_from,
                    "crm_iso_date_to": date_to,
                }
            )
        if review.state != "done":
            review.action_crm_iso_pull_inputs()
        return review

    def action_print_review(self):
        """The management review of the period, its inputs pulled, printed."""
        return self.env.ref(
            "crm_iso_complaints.action_report_management_review"
        ).report_action(self._review())
