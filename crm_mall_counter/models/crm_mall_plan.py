# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The CRM plan: a company's goals for a period, each watching a measure the
suite already computes (crm.mall.plan.goal), its touchpoints and its planned
information gathering (crm.mall.plan.action). Approved by a mall manager who
did not write it, then frozen by the suite's guard; a new version is a copy."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from odoo.addons.crm_iso_complaints.tools import clock, jalali

_lt = LazyTranslate(__name__)
APPROVE = _lt("use Approve")
FROZEN = _lt("an approved plan is frozen: use New version")
#: what an approved plan freezes (its lines are frozen by crm.mall.plan.line.mixin)
CONTENT = ("name", "company_id", "date_from", "date_to", "note")
STAMPS = (
    "state",
    "approved_by_id",
    "approved_date",
    "author_id",
    "version",
    "previous_id",
)
MANAGER = "crm_mall_counter.group_mall_manager"


class CrmMallPlan(models.Model):
    _name = "crm.mall.plan"
    _description = "CRM plan"
    _inherit = ["mail.thread", "crm.iso.guarded.mixin"]
    _check_company_auto = True
    _order = "date_from desc, version desc, id desc"
    _crm_iso_protected = {
        **dict.fromkeys(STAMPS, APPROVE),
        **dict.fromkeys(CONTENT, FROZEN),
    }

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    note = fields.Html(string="Notes")
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    author_id = fields.Many2one(
        "res.users",
        string="Written by",
        readonly=True,
        check_company=True,
        copy=False,
        default=lambda self: self.env.uid,
    )
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, check_company=True
    )
    approved_date = fields.Datetime(readonly=True, copy=False)
    version = fields.Integer(default=1, readonly=True, copy=False)
    previous_id = fields.Many2one(
        "crm.mall.plan",
        string="Previous version",
        readonly=True,
        copy=False,
        check_company=True,
    )
    goal_ids = fields.One2many("crm.mall.plan.goal", "plan_id", copy=True)
    action_ids = fields.One2many(
        "crm.mall.plan.action", "plan_id", string="Information gathering", copy=True
    )

    charts = fields.Json(
        compute="_compute_charts",
        help="Each goal's progress towards its target (100 = reached), live.",
    )

    @api.depends("goal_ids")
    def _compute_charts(self):
        """The goals' progress as a chart of the crm_iso_charts widget: a bar
        per goal, a click opens it."""
        for plan in self:
            goals = plan.goal_ids
            plan.charts = [
                {
                    "name": "plan_progress",
                    "title": self.env._("Progress towards the targets"),
                    "type": "bar",
                    "labels": goals.mapped("name"),
                    "datasets": [
                        {
                            "label": self.env._("Progress %"),
                            "data": [round(goal.progress, 1) for goal in goals],
                            "model": "crm.mall.plan.goal",
                            "domains": [[("id", "=", goal.id)] for goal in goals],
                        }
                    ],
                }
            ]

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        if any(plan.date_to < plan.date_from for plan in self):
            raise ValidationError(
                self.env._("The plan's period ends before it starts.")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self._crm_mall_check_draft()

    # ------------------------------------------------------------ the guard
    def _crm_iso_check_create(self, vals_list):
        """A new plan is a draft written by its creator: its content is free,
        its stamps are not."""
        if self._crm_iso_is_unlocked():
            return
        for vals in vals_list:
            for name in STAMPS:
                if name in vals and not self._crm_iso_is_default(name, vals[name]):
                    self._crm_iso_refuse(name)

    def _crm_iso_check_write(self, vals):
        """Stamps change only by Approve; the content of an approved plan never."""
        if self._crm_iso_is_unlocked():
            return
        for name in vals:
            if name in STAMPS or (
                name in CONTENT and self.filtered(lambda p: p.state == "approved")
            ):
                self._crm_iso_refuse(name)

    def _crm_mall_check_draft(self):
        if self.filtered(lambda plan: plan.state != "draft"):
            raise UserError(
                self.env._("An approved plan is frozen: use New version to change it.")
            )

    # ------------------------------------------------------------ transitions
    def action_approve(self):
        """A mall manager approves a draft plan someone else wrote (the real
        user of the request, whatever the sudo of the caller)."""
        user = self.env.user
        if not user.has_group(MANAGER):
            raise UserError(self.env._("Only a mall manager approves a CRM plan."))
        for plan in self:
            plan._crm_mall_check_draft()
            if plan.author_id == user:
                raise UserError(
                    self.env._(
                        "%(plan)s was written by you: another manager approves it.",
                        plan=plan.name,
                    )
                )
            if not plan.goal_ids:
                raise UserError(
                    self.env._("%(plan)s has no goal to approve.", plan=plan.name)
                )
        self._crm_iso_write(
            {
                "state": "approved",
                "approved_by_id": user.id,
                "approved_date": fields.Datetime.now(),
            }
        )

    def action_new_version(self):
        """A draft copy of the plan, its goals and actions, as the next version."""
        self.ensure_one()
        self.check_access("create")
        copy = self.copy()
        with self._crm_iso_unlocked():
            copy.write({"version": self.version + 1, "previous_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": copy.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------ measures
    def _crm_mall_bounds(self):
        """The plan's days as UTC datetimes, cut at the company's midnights."""
        self.ensure_one()
        tz = clock.company_tz(self.company_id)
        return (
            clock.local_midnight(tz, self.date_from),
            clock.local_midnight(tz, self.date_to + timedelta(days=1)),
        )

    def _crm_mall_measures(self):
        """{measure: value or None} of ``MEASURES`` for the plan's company and
        period, each read from where the suite computes it: complaint KPIs
        (crm.iso.complaint.report.get_kpis), satisfaction (crm.iso.satisfaction.
        report.get_kpis), the queue (crm.mall.visit._queue_figures) and the QC
        inspections' score (the mall's own rounds, as the management review
        averages it)."""
        self.ensure_one()
        start, end = self._crm_mall_bounds()
        company = Domain("company_id", "=", self.company_id.id)
        env = self.env
        complaints = (
            env["crm.iso.complaint.report"].get_kpis(
                company
                & Domain("received_date", ">=", start)
                & Domain("received_date", "<", end)
            )
            or [{}]
        )[0]
        satisfaction = (
            env["crm.iso.satisfaction.report"].get_kpis(
                company
                & Domain("date", ">=", start)
                & Domain("date", "<", end)
                & Domain("done", "=", True)
            )
            or [{}]
        )[0]
        queue_domain = (
            company
            & Domain("checkin_date", ">=", start)
            & Domain("checkin_date", "<", end)
            & Domain("counter_id", "!=", False)
        )
        queue = env["crm.mall.visit"]._queue_figures(queue_domain)[0]
        has_queue = bool(env["crm.mall.visit"].search_count(queue_domain, limit=1))
        qc_count, qc_score = env["crm.mall.qc.inspection"]._read_group(
            company
            & Domain("competitor_id", "=", False)
            & Domain("date", ">=", self.date_from)
            & Domain("date", "<=", self.date_to)
            & Domain("state", "!=", "draft"),
            [],
            ["__count", "score:avg"],
        )[0]
        count = complaints.get("count") or 0
        return {
            "complaints_count": count,
            "complaints_ack_in_time": complaints.get("ack_in_time_pct"),
            "complaints_resolve_in_time": complaints.get("resolve_in_time_pct"),
            "complaints_reopened": complaints.get("reopened_pct") if count else None,
            "csat": satisfaction.get("csat"),
            "nps": satisfaction.get("nps"),
            "ces": satisfaction.get("ces"),
            "satisfaction_index": satisfaction.get("index"),
            "queue_within_level": queue["within_level"] if has_queue else None,
            "queue_avg_wait": queue["avg_wait"] if has_queue else None,
            "qc_score": qc_score if qc_count else None,
        }

    # ------------------------------------------------------------ printing
    def _crm_mall_direction(self):
        return "rtl" if clock.is_persian(self.env.lang) else "ltr"

    def _crm_mall_format(self, value):
        """A date or time of the printed plan: Jalali with Persian digits for a
        Persian reader, in the company's zone."""
        return jalali.format_local(
            value, self.env.lang, clock.company_tz(self.company_id), with_time=False
        )

    def _crm_mall_number(self, value):
        return clock.digits(f"{value:.1f}", self.env.lang)
