# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_iso_complaints.tools import jalali

# metric: (lowest, highest) valid target
TARGET_RANGES = {
    "csat_target": (0.0, 100.0),
    "nps_target": (-100.0, 100.0),
    "ces_target": (1.0, 7.0),
    "index_target": (0.0, 100.0),
}


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
        """The running plan of a company that measures with this survey, if any."""
        today = fields.Date.context_today(self)
        plans = self.search(
            [
                ("survey_ids", "in", [survey_id]),
                ("company_id", "=", company.id),
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
                and complaint.touchpoint_id not in plan.touchpoint_ids
            ):
                continue
            return plan
        return self.browse()

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
