# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_mall_review_hours = fields.Integer(
        string="Review deadline (working hours)",
        default=4,
        help="Office staff must review a registered subject within this many "
        "working hours.",
    )

    crm_mall_competence_required = fields.Boolean(
        string="Work needs a valid training",
        help="Opening a counter shift, taking calls, inspecting and handling "
        "complaints need the role's valid certification (see Required trainings).",
    )
    crm_mall_competence_remind_days = fields.Integer(
        string="Remind before expiry (days)",
        default=30,
        help="People get an activity this many days before a certification expires.",
    )

    crm_mall_competitor_gap = fields.Float(
        string="Competitor gap threshold (points)",
        default=10.0,
        help="A competitor scoring more than this many points above the mall on "
        "a checklist criterion in a month is a gap: it raises an improvement "
        "action and shows in the management review.",
    )

    @api.constrains("crm_mall_competitor_gap")
    def _check_crm_mall_competitor_gap(self):
        if any(not 0 <= company.crm_mall_competitor_gap <= 100 for company in self):
            raise ValidationError(
                self.env._("The competitor gap threshold is between 0 and 100 points.")
            )

    @api.constrains("crm_mall_review_hours")
    def _check_crm_mall_review_hours(self):
        if any(company.crm_mall_review_hours < 1 for company in self):
            raise ValidationError(
                self.env._("Review deadline (working hours) must be at least 1.")
            )
