# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    crm_mall_counter_id = fields.Many2one(
        "crm.mall.counter", string="Counter", index="btree_not_null"
    )
    crm_mall_visit_id = fields.Many2one(
        "crm.mall.visit", string="Visit", index="btree_not_null"
    )

    def _crm_iso_company_bound(self):
        return [
            *super()._crm_iso_company_bound(),
            "crm_mall_counter_id",
            "crm_mall_visit_id",
        ]
