# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.crm_iso_complaints.tools import jalali

# metric: (lowest, highest) valid target
TARGET_RANGES = {
    "csat_target": (0.0, 100.0),
    "nps_target": (-100.0, 100.0),
    "ces_target": (1.0, 7.0),
    "index_target": (0.0, 100.0),
}
#: months in a plan's sampling period, per frequency (others: a calendar month)
PERIOD_MONTHS = {"quarterly": 3, "yearly": 12}


class CrmIsoMeasurementPlan(models.Model):
    """What to measure, from whom, how and how often (ISO 10004, 6.x)."""

    _name = "crm.iso.measurement.plan"
    _description = "Satisfaction measurement plan"
    _check_company_auto = True
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    objective = fields.Text(translate=True)
    audience = fields.Selection(
        [("customers", "Customers"), ("employees", "Employees")],
        default="customers",
        required=True,
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category", string="Customer segments"
    )
    touchpoint_ids = fields.Many2many(
        "crm.iso.touchpoint", check_company=True, string="Touchpoints"
    )
    channel_email = fields.Boolean(string="By email", default=True)
    channel_portal = fields.Boolean(string="On the portal")
    channel_kiosk = fields.Boolean(string="At the counter kiosk")
    channel_call_centre = fields.Boolean(string="By the call centre")
    frequency = fields.Selection(
        [
            ("continuous", "Continuous"),
            ("after_resolution", "After each resolved complaint"),
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("yearly", "Yearly"),
        ],
        default="continuous",
        required=True,
    )
    post_resolution = fields.Boolean(
        string="Survey complainants after closing",
        help="When a complaint of these touchpoints closes, its complainant gets "
        "this plan's first survey (by email, or queued for the counter kiosk).",
    )
    sample_target = fields.Integer(string="Responses wanted per period", default=100)
    # survey fatigue: who is invited (see _crm_iso_invite)
    invitation_rate = fields.Float(
        string="Sampling rate (%)",
        default=100.0,
        help="Share of the eligible customers this plan invites. The draw is a "
        "stable hash of customer, plan and period: a customer is in or out of "
        "the sample for the whole period, whatever the channel.",
    )
    invitation_cooldown_days = fields.Integer(
        string="Cooldown (days)",
        default=0,
        help="A customer invited to any survey of the company (by any plan, "
        "by email, at the kiosk or after a complaint) is not invited again by "
        "this plan before so many days; 0: no cooldown.",
    )
    invitation_limit = fields.Integer(
        string="Invitations per period (at most)",
        default=0,
        help="The plan's sample: it never sends more invitations in a period "
        "(month, or quarter or year for such plans); 0: no limit. The "
        "customers over it are skipped and counted.",
    )
    invitation_ids = fields.One2many("crm.iso.survey.invitation", "plan_id")
    invitation_sent_count = fields.Integer(
        string="Invited", compute="_compute_invitation_counts"
    )
    invitation_skipped_count = fields.Integer(
        string="Skipped", compute="_compute_invitation_counts"
    )
    invitation_cooldown_count = fields.Integer(
        string="Skipped: cooldown", compute="_compute_invitation_counts"
    )
    invitation_sampling_count = fields.Integer(
        string="Skipped: not sampled", compute="_compute_invitation_counts"
    )
    invitation_sample_full_count = fields.Integer(
        string="Skipped: sample full", compute="_compute_invitation_counts"
    )
    owner_id = fields.Many2one(
        "res.users",
        check_company=True,
        default=lambda self: self.env.user,
        required=True,
        tracking=True,
    )
    survey_ids = fields.Many2many("survey.survey", string="Surveys")
    date_start = fields.Date(default=fields.Date.context_today)
    date_end = fields.Date()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    csat_target = fields.Float(string="CSAT target (%)", default=80.0)
    nps_target = fields.Float(string="NPS target", default=30.0)
    ces_target = fields.Float(string="CES target (at most)", default=3.0)
    index_target = fields.Float(string="Index target", default=75.0)
    response_ids = fields.One2many("survey.user_input", "crm_iso_plan_id")
    response_count = fields.Integer(compute="_compute_response_count")

    @api.depends("response_ids")
    def _compute_response_count(self):
        counts = dict(
            self.env["survey.user_input"]._read_group(
                [("crm_iso_plan_id", "in", self.ids), ("state", "=", "done")],
                ["crm_iso_plan_id"],
                ["__count"],
            )
        )
        for plan in self:
            plan.response_count = counts.get(plan, 0)

    @api.depends("invitation_ids")
    def _compute_invitation_counts(self):
        """Counts only, for whoever reads the plan (complaint managers read
        plans but not the invitation log itself)."""
        counts = {
            (plan, state, reason): count
            for plan, state, reason, count in self.env["crm.iso.survey.invitation"]
            .sudo()
            ._read_group(
                [("plan_id", "in", self.ids)],
                ["plan_id", "state", "skip_reason"],
                ["__count"],
            )
        }
        for plan in self:
            mine = {
                (state, reason): count
                for (of, state, reason), count in counts.items()
                if of == plan
            }
            plan.invitation_sent_count = mine.get(("sent", False), 0)
            plan.invitation_skipped_count = sum(
                count for (state, _r), count in mine.items() if state == "skipped"
            )
            plan.invitation_cooldown_count = mine.get(("skipped", "cooldown"), 0)
            plan.invitation_sampling_count = mine.get(("skipped", "sampling"), 0)
            plan.invitation_sample_full_count = mine.get(("skipped", "sample_full"), 0)

    @api.constrains("invitation_rate", "invitation_cooldown_days", "invitation_limit")
    def _check_invitation_rules(self):
        for plan in self:
            if not 0.0 <= plan.invitation_rate <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The sampling rate of %(plan)s must be between 0 and 100%%.",
                        plan=plan.name,
                    )
                )
            if plan.invitation_cooldown_days < 0 or plan.invitation_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The cooldown and the invitations per period of %(plan)s "
                        "cannot be negative.",
                        plan=plan.name,
                    )
                )

    @api.constrains("survey_ids", "active")
    def _check_surveys(self):
        for plan in self.filtered("active"):
            if not plan.survey_ids:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s needs at least one survey.", plan=plan.name
                    )
                )

    @api.constrains(*TARGET_RANGES)
    def _check_targets(self):
        for plan in self:
            for field, (low, high) in TARGET_RANGES.items():
                if not low <= plan[field] <= high:
                    raise ValidationError(
                        self.env._(
                            "%(target)s of %(plan)s must be between %(low)s and "
                            "%(high)s.",
                            target=self._fields[field].string,
                            plan=plan.name,
                            low=low,
                            high=high,
                        )
                    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for plan in self:
            if plan.date_start and plan.date_end and plan.date_end < plan.date_start:
                raise ValidationError(
                    self.env._("Plan %(plan)s ends before it starts.", plan=plan.name)
                )

    @api.model
    def _for_survey(self, survey_id, company):
        """The running plan of a company that measures with this survey, if any.

        ``company`` None: the plan of whichever company measures with it (an
        answer through the survey's public link; with several, the first in the
        plans' order)."""
        today = fields.Date.context_today(self)
        company_domain = (
            [("company_id", "=", company.id)] if company is not None else []
        )
        plans = self.search(
            [
                ("survey_ids", "in", [survey_id]),
                *company_domain,
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ],
            order="sequence, id",
            limit=1,
        )
        return plans

    def _for_complaint(self, complaint):
        """The post-resolution plan that applies to a closed complaint, if any."""
        today = fields.Date.context_today(self)
        for plan in self.search(
            [
                ("post_resolution", "=", True),
                ("audience", "=", "customers"),
                ("company_id", "=", complaint.company_id.id),
            ]
        ):
            if plan.date_end and plan.date_end < today:
                continue
            if (
                plan.touchpoint_ids
                and complaint.crm_iso_touchpoint_id not in plan.touchpoint_ids
            ):
                continue
            return plan
        return self.browse()

    # ------------------------------------------------------------ survey fatigue
    def _crm_iso_period(self, moment):
        """The sampling period (start, end) holding ``moment`` (UTC datetimes):
        the calendar quarter or year of such plans, else the calendar month."""
        self.ensure_one()
        months = PERIOD_MONTHS.get(self.frequency, 1)
        first_month = (moment.month - 1) // months * months + 1
        start = datetime(moment.year, first_month, 1)
        return start, start + relativedelta(months=months)

    def _crm_iso_sampled(self, partner, period_start):
        """Whether the customer is in this plan's sample for the period.

        A stable draw, not a random one: the first 8 bytes of the SHA-256 of
        plan, customer and period, read as a number in [0, 100), are below the
        rate. The same customer gets the same answer on every channel and on a
        retried request all period long; over many customers the share drawn
        is the rate.
        """
        key = f"{self.id}:{partner.id}:{period_start.date().isoformat()}"
        digest = hashlib.sha256(key.encode()).digest()
        return int.from_bytes(digest[:8], "big") * 100.0 / 2**64 < self.invitation_rate

    def _crm_iso_invite(self, partners, channel):
        """Decide which of ``partners`` this plan invites now, and log it.

        Each customer, in the order given, is skipped when invited by the
        company in the last ``invitation_cooldown_days`` days (any plan, any
        channel), when not drawn in the sample (``invitation_rate``), or when
        the plan already sent ``invitation_limit`` invitations this period;
        else invited. One row per customer is written, sent or skipped with
        its reason (``crm.iso.survey.invitation``), in one INSERT; the history
        is read in one query, whatever the number of customers.

        Returns the invitation rows; the caller invites the partners of the
        ``sent`` ones.
        """
        self.ensure_one()
        plan = self.sudo()
        Invitation = self.env["crm.iso.survey.invitation"].sudo()
        if not partners:
            return Invitation
        now = fields.Datetime.now()
        recent = set()
        if plan.invitation_cooldown_days:
            since = now - timedelta(days=plan.invitation_cooldown_days)
            recent = {
                partner.id
                for (partner,) in Invitation._read_group(
                    [
                        ("company_id", "=", plan.company_id.id),
                        ("partner_id", "in", partners.ids),
                        ("state", "=", "sent"),
                        ("date", ">", since),
                    ],
                    ["partner_id"],
                )
            }
        start, end = plan._crm_iso_period(now)
        room = None
        if plan.invitation_limit:
            # two requests taking the last places of the sample: the second
            # waits on this row, then fails to serialize and Odoo retries it,
            # counting the first one's invitations (never over the limit)
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_iso_measurement_plan SET id = id WHERE id = %s", plan.id
                )
            )
            room = plan.invitation_limit - Invitation.search_count(
                [
                    ("plan_id", "=", plan.id),
                    ("state", "=", "sent"),
                    ("date", ">=", start),
                    ("date", "<", end),
                ]
            )
        rows = []
        for partner in partners:
            if partner.id in recent:
                reason = "cooldown"
            elif not plan._crm_iso_sampled(partner, start):
                reason = "sampling"
            elif room is not None and room <= 0:
                reason = "sample_full"
            else:
                reason = False
                room = None if room is None else room - 1
                if plan.invitation_cooldown_days:
                    recent.add(partner.id)
            rows.append(
                {
                    "partner_id": partner.id,
                    "plan_id": plan.id,
                    "channel": channel,
                    "date": now,
                    "state": "skipped" if reason else "sent",
                    "skip_reason": reason,
                    "company_id": plan.company_id.id,
                }
            )
        with Invitation._crm_iso_unlocked():
            return Invitation.create(rows)

    def _crm_iso_invitation_action(self, domain, context):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_surveys.action_crm_iso_survey_invitations"
        )
        action["domain"] = [("plan_id", "=", self.id), *domain]
        action["context"] = context
        return action

    def action_view_invitations(self):
        return self._crm_iso_invitation_action([("state", "=", "sent")], {})

    def action_view_skipped_invitations(self):
        return self._crm_iso_invitation_action(
            [("state", "=", "skipped")], {"search_default_g_reason": 1}
        )

    def _report_rows(self):
        """Monthly KPIs of the last 12 months, formatted for the PDF report."""
        self.ensure_one()
        since = fields.Date.context_today(self) - relativedelta(months=12)
        rows = self.env["crm.iso.satisfaction.report"].get_kpis(
            [("plan_id", "=", self.id), ("date", ">=", since)], "month"
        )

        def fmt(value):
            return "" if value is None else f"{value:.1f}"

        lang = self.env.user.lang or ""
        return [
            {
                "month": jalali.format_local(row["key"].date(), lang),
                "sent": row["sent"],
                "responses": row["responses"],
                "response_rate": fmt(row["response_rate"]),
                "csat": fmt(row["csat"]),
                "nps": fmt(row["nps"]),
                "nps_interval": " - ".join(map(fmt, row["nps_interval"]))
                if row["nps_interval"]
                else "",
                "ces": fmt(row["ces"]),
                "index": fmt(row["index"]),
                "small_sample": row["small_sample"],
            }
            for row in rows
        ]

    def action_view_responses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_surveys.action_crm_iso_satisfaction_report"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        return action
