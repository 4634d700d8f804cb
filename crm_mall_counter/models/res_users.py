# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_mall_competence_ids = fields.One2many(
        "crm.mall.competence",
        compute="_compute_crm_mall_competence_ids",
        string="Trainings",
        help="The required trainings of the person's companies: held, expired or "
        "missing, and until when they are valid.",
    )

    def _compute_crm_mall_competence_ids(self):
        rows = self.env["crm.mall.competence"].search([("user_id", "in", self.ids)])
        for user in self:
            user.crm_mall_competence_ids = rows.filtered(
                lambda row, user=user: row.user_id == user
            )
