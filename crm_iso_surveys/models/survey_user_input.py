# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import metrics

CHANNELS = [
    ("email", "Email"),
    ("portal", "Portal"),
    ("kiosk", "Counter kiosk"),
    ("call_centre", "Call centre"),
    ("link", "Survey link"),
]


class SurveyUserInput(models.Model):
    """A survey response with the context every satisfaction KPI is cut by."""

    _inherit = "survey.user_input"

    crm_iso_plan_id = fields.Many2one(
        "crm.iso.measurement.plan", string="Measurement plan", index="btree_not_null"
    )
    crm_iso_complaint_id = fields.Many2one(
        "helpdesk.ticket", string="Complaint", index="btree_not_null"
    )
    crm_iso_touchpoint_id = fields.Many2one(
        "crm.iso.touchpoint", string="Touchpoint", index="btree_not_null"
    )
    crm_iso_team_id = fields.Many2one(
        "helpdesk.ticket.team", string="Team", index="btree_not_null"
    )
    crm_iso_channel = fields.Selection(CHANNELS, string="Survey channel", index=True)
    crm_iso_company_id = fields.Many2one(
        "res.company",
        string="Company",
        index=True,
        help="The company whose satisfaction the response measures: every KPI "
        "row carries it (the plan's, else the complaint's, else the company the "
        "response was given in).",
    )
    crm_iso_csat = fields.Float(string="CSAT (100 = satisfied)", readonly=True)
    crm_iso_nps = fields.Float(string="NPS contribution", readonly=True)
    crm_iso_ces = fields.Float(string="Effort (CES)", readonly=True)
    crm_iso_index = fields.Float(string="Satisfaction index", readonly=True)
    crm_iso_low_score = fields.Boolean(
        string="Low score",
        readonly=True,
        index=True,
        help="A detractor or a not-satisfied CSAT answer.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """Every response gets its plan and its company, whatever the path: a
        survey's own public link attaches the survey's plan, as the kiosk and the
        post-resolution flow do."""
        Plan = self.env["crm.iso.measurement.plan"].sudo()
        vals_list = [dict(vals) for vals in vals_list]  # the caller's stay as given
        # an internal user answers in the company they work in; the public user
        # (a survey's public link) and portal users say nothing about whose
        # survey it is: the answer goes to the plan that measures with it
        company = self.env.company if self.env.user._is_internal() else None
        for vals in vals_list:
            if not vals.get("crm_iso_plan_id") and vals.get("survey_id"):
                plan = Plan._for_survey(vals["survey_id"], company)
                if plan:
                    vals["crm_iso_plan_id"] = plan.id
                    vals.setdefault("crm_iso_channel", "link")
            if not vals.get("crm_iso_company_id"):
                vals["crm_iso_company_id"] = self._crm_iso_company_of(vals).id
        return super().create(vals_list)

    # the records a response is cut by: each one of the response's company (or
    # of none), so no KPI row of company A counts company B's plan or complaint
    def _crm_iso_company_bound(self):
        return [
            "crm_iso_plan_id",
            "crm_iso_complaint_id",
            "crm_iso_touchpoint_id",
            "crm_iso_team_id",
        ]

    @api.constrains(lambda self: ["crm_iso_company_id", *self._crm_iso_company_bound()])
    def _check_crm_iso_company(self):
        fnames = self._crm_iso_company_bound()
        for response in self.sudo():
            company = response.crm_iso_company_id
            for fname in fnames:
                record = response[fname]
                if record.company_id and record.company_id != company:
                    raise ValidationError(
                        self.env._(
                            "The response belongs to %(company)s while its %(field)s "
                            "%(record)s belongs to %(other)s.",
                            company=company.display_name or "-",
                            field=self._fields[fname].get_description(self.env)[
                                "string"
                            ],
                            record=record.display_name,
                            other=record.company_id.display_name,
                        )
                    )

    @api.model
    def _crm_iso_company_of(self, vals):
        plan = (
            self.env["crm.iso.measurement.plan"]
            .sudo()
            .browse(vals.get("crm_iso_plan_id"))
        )
        complaint = (
            self.env["helpdesk.ticket"].sudo().browse(vals.get("crm_iso_complaint_id"))
        )
        return plan.company_id or complaint.company_id or self.env.company

    def _mark_done(self):
        result = super()._mark_done()
        self._crm_iso_compute_metrics()
        self._crm_iso_follow_up_low_scores()
        for company in self.crm_iso_company_id:
            mine = self.filtered(lambda r, c=company: r.crm_iso_company_id == c)
            mine.partner_id.with_company(company)._crm_iso_refresh_loyalty()
        return result

    def _crm_iso_compute_metrics(self):
        """Store each response's metrics: one SQL statement for the whole batch."""
        if not self:
            return
        self.env["survey.user_input.line"].flush_model()
        self.flush_recordset()
        # start from nothing: a response whose metric answers are gone has none
        self.env.cr.execute(
            SQL(
                "UPDATE survey_user_input SET crm_iso_csat = NULL, crm_iso_nps = NULL, "
                "crm_iso_ces = NULL, crm_iso_index = NULL, crm_iso_low_score = FALSE "
                "WHERE id IN %s",
                tuple(self.ids),
            )
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE survey_user_input ui
                   SET crm_iso_csat = m.csat,
                       crm_iso_nps = m.nps,
                       crm_iso_ces = m.ces,
                       crm_iso_index = m.satisfaction_index,
                       crm_iso_low_score = COALESCE(m.nps < 0 OR m.csat = 0, FALSE)
                  FROM (%s) m
                 WHERE ui.id = m.user_input_id
                """,
                SQL(metrics.PER_RESPONSE_SQL, ids=tuple(self.ids)),
            )
        )
        self.invalidate_recordset(
            [
                "crm_iso_csat",
                "crm_iso_nps",
                "crm_iso_ces",
                "crm_iso_index",
                "crm_iso_low_score",
            ]
        )

    def _crm_iso_follow_up_low_scores(self):
        """A low score asks the plan owner (or the complaint's team leader) to call."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for response in self.filtered(lambda r: r.crm_iso_low_score and r.partner_id):
            owner = (
                response.crm_iso_plan_id.owner_id
                or response.crm_iso_complaint_id.team_id.user_id
            )
            if not owner:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": response.partner_id.id,
                    "activity_type_id": todo.id,
                    "user_id": owner.id,
                    "summary": self.env._(
                        "Low satisfaction score on %(survey)s: follow up",
                        survey=response.survey_id.title,
                    ),
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)
