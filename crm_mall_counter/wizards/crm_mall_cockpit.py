# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.crm_iso_complaints.tools import jalali

PERIODS = [("today", "Today"), ("week", "Last 7 days"), ("month", "Last 30 days")]
PERIOD_DAYS = {"today": 0, "week": 6, "month": 29}


class CrmMallCockpit(models.TransientModel):
    """Senior management's cockpit: counters, call centre, complaints, disputes,
    QC and satisfaction for a period, each figure a read_group or a count, so it
    opens with a bounded number of queries whatever the volume of data."""

    _name = "crm.mall.cockpit"
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
    qc_inspections = fields.Integer(string="Inspections", compute="_compute_figures")
    qc_score = fields.Float(string="Average QC score %", compute="_compute_figures")
    qc_orders_overdue = fields.Integer(
        string="Overdue action orders", compute="_compute_figures"
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
    counter_line_ids = fields.One2many(
        "crm.mall.cockpit.line", "cockpit_id", compute="_compute_figures"
    )

    def _compute_display_name(self):
        for cockpit in self:
            cockpit.display_name = self.env._("Management cockpit")

    def date_from_label(self):
        """The period's start for the reader: Jalali in Persian."""
        return jalali.format_local(
            self.date_from, self.env.user.lang, self.env.user.tz, with_time=False
        )

    def _start(self):
        today = fields.Date.context_today(self)
        return datetime.combine(
            today - timedelta(days=PERIOD_DAYS[self.period]), time()
        )

    @api.depends("period")
    def _compute_figures(self):
        for cockpit in self:
            cockpit.update(cockpit._figures())

    def _figures(self):
        self.ensure_one()
        start = self._start()
        env = self.env
        Visit = env["crm.mall.visit"]
        Ticket = env["helpdesk.ticket"]
        since = Domain("checkin_date", ">=", start)
        complaint = Domain("is_complaint", "=", True)
        open_complaint = complaint & Domain(
            "complaint_state", "not in", ("closed", "rejected")
        )
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
            [("date", ">=", start.date()), ("state", "!=", "draft")],
            [],
            ["__count", "score:avg"],
        )[0]
        return {
            "date_from": start,
            "visits": Visit.search_count(since & Domain("channel", "=", "counter")),
            "calls": Visit.search_count(since & Domain("channel", "=", "call_centre")),
            "complaints_received": Ticket.search_count(
                complaint & Domain("received_date", ">=", start)
            ),
            "complaints_open": Ticket.search_count(open_complaint),
            "complaints_overdue": Ticket.search_count(
                open_complaint & Domain("is_overdue", "=", True)
            ),
            "ack_in_time_pct": (kpi[0]["ack_in_time_pct"] or 0.0) if kpi else 0.0,
            "disputes_open": env["crm.iso.dispute"].search_count(
                [("state", "!=", "closed")]
            ),
            "qc_inspections": qc[0],
            "qc_score": qc[1] or 0.0,
            "qc_orders_overdue": env["crm.mall.qc.action.order"].search_count(
                [("state", "=", "open"), ("due_date", "<", fields.Date.today())]
            ),
            "nps": (satisfaction[0]["nps"] or 0.0) if satisfaction else 0.0,
            "csat": (satisfaction[0]["csat"] or 0.0) if satisfaction else 0.0,
            "responses": satisfaction[0]["responses"] if satisfaction else 0,
            "nps_target": plan.nps_target,
            "csat_target": plan.csat_target,
            "commitments_met": statuses.count("met"),
            "commitments_missed": statuses.count("missed"),
            "counter_line_ids": self._counter_lines(start),
        }

    def _counter_lines(self, start):
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
        satisfaction = {
            row["key"]: row
            for row in env["crm.iso.satisfaction.report"].get_kpis(
                [("date", ">=", start), ("done", "=", True)], "counter_id"
            )
        }
        lines = [fields.Command.clear()]
        for counter in env["crm.mall.counter"].search([("active", "=", True)]):
            sat = satisfaction.get(counter.id) or {}
            lines.append(
                fields.Command.create(
                    {
                        "counter_id": counter.id,
                        "zone": counter.zone,
                        "visits": visits.get(counter, 0),
                        "complaints": complaints.get(counter, 0),
                        "nps": sat.get("nps") or 0.0,
                        "responses": sat.get("responses", 0),
                    }
                )
            )
        return lines

    def _open(self, xmlid, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        return action

    def action_open_overdue(self):
        return self._open(
            "crm_iso_complaints.action_crm_iso_overdue_complaints",
            [("is_complaint", "=", True), ("is_overdue", "=", True)],
        )

    def action_open_visits(self):
        return self._open(
            "crm_mall_counter.action_crm_mall_visits",
            [("checkin_date", ">=", self._start())],
        )

    def action_open_inspections(self):
        return self._open(
            "crm_mall_counter.action_crm_mall_qc_inspections",
            [("date", ">=", self._start().date())],
        )

    def action_print_review(self):
        return self.env.ref(
            "crm_mall_counter.action_report_management_review"
        ).report_action(self)


class CrmMallCockpitLine(models.TransientModel):
    _name = "crm.mall.cockpit.line"
    _description = "Management cockpit: a counter"

    cockpit_id = fields.Many2one("crm.mall.cockpit", ondelete="cascade")
    counter_id = fields.Many2one("crm.mall.counter")
    zone = fields.Char()
    visits = fields.Integer()
    complaints = fields.Integer()
    nps = fields.Float(string="NPS")
    responses = fields.Integer()
