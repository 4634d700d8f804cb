# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmMallPlanLineMixin(models.AbstractModel):
    """A line of a CRM plan (goal, action): frozen with its approved plan,
    whoever writes, over any API."""

    _name = "crm.mall.plan.line.mixin"
    # the guard's unlink: no client context key skips the deletion rule below
    _inherit = ["crm.iso.guarded.mixin"]
    _description = "Line of a CRM plan"

    plan_id = fields.Many2one(
        "crm.mall.plan",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)

    @api.model_create_multi
    def create(self, vals_list):
        self.env["crm.mall.plan"].browse(
            [vals["plan_id"] for vals in vals_list if vals.get("plan_id")]
        )._crm_mall_check_draft()
        return super().create(vals_list)

    def write(self, vals):
        plans = self.plan_id
        if vals.get("plan_id"):
            plans |= plans.browse(vals["plan_id"])
        plans._crm_mall_check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self.plan_id._crm_mall_check_draft()
