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

    @api.constrains("crm_mall_review_hours")
    def _check_crm_mall_review_hours(self):
        if any(company.crm_mall_review_hours < 1 for company in self):
            raise ValidationError(
                self.env._("Review deadline (working hours) must be at least 1.")
            )
