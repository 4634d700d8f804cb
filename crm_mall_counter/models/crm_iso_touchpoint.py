# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmIsoTouchpoint(models.Model):
    """A touchpoint's channel and owner, for the CRM plan (its goals map the
    touchpoints to the measures that watch them)."""

    _inherit = "crm.iso.touchpoint"
    _check_company_auto = True

    crm_mall_channel = fields.Selection(
        [
            ("counter", "Service counter"),
            ("call_centre", "Call centre"),
            ("online", "Website and apps"),
            ("email", "Email and messages"),
            ("field", "In person elsewhere"),
        ],
        string="Channel",
    )
    crm_mall_owner_id = fields.Many2one("res.users", string="Owner", check_company=True)
    crm_mall_goal_ids = fields.Many2many(
        "crm.mall.plan.goal",
        string="Plan goals watching it",
        compute="_compute_crm_mall_goal_ids",
    )

    def _compute_crm_mall_goal_ids(self):
        goals = self.env["crm.mall.plan.goal"].search(
            [("touchpoint_ids", "in", self.ids)]
        )
        for touchpoint in self:
            touchpoint.crm_mall_goal_ids = goals.filtered(
                lambda goal, tp=touchpoint: tp in goal.touchpoint_ids
            )
