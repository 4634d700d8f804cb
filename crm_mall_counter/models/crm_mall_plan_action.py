# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmMallPlanAction(models.Model):
    """A planned, dated information-gathering action of a CRM plan."""

    _name = "crm.mall.plan.action"
    _inherit = ["crm.mall.plan.line.mixin"]
    _description = "Information gathering of a CRM plan"
    _order = "plan_id, date, id"
    _check_company_auto = True

    date = fields.Date(required=True)
    action_type = fields.Selection(
        [
            ("practice_review", "Review of current practice"),
            ("customer_survey", "Customer survey (ISO 10004 measurement plan)"),
            ("employee_survey", "Employee feedback survey"),
            ("satisfaction", "Satisfaction measurement"),
        ],
        string="Type",
        required=True,
    )
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one("res.users", string="Owner", check_company=True)
    measurement_plan_id = fields.Many2one(
        "crm.iso.measurement.plan",
        string="Measurement plan",
        check_company=True,
        help="The ISO 10004 measurement plan of a customer survey.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        help="The Odoo survey staff answer (what customers ask and complain about).",
    )
    survey_answer_count = fields.Integer(
        related="survey_id.answer_done_count", string="Answers"
    )
