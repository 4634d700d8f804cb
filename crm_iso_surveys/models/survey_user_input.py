# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..tools import metrics

CHANNELS = [
    ("email", "Email"),
    ("portal", "Portal"),
    ("kiosk", "Counter kiosk"),
    ("call_centre", "Call centre"),
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

    def _mark_done(self):
        result = super()._mark_done()
        self._crm_iso_compute_metrics()
        self._crm_iso_follow_up_low_scores()
        self.partner_id._crm_iso_refresh_loyalty()
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
