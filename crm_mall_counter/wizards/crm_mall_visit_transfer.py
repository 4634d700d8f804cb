# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmMallVisitTransfer(models.TransientModel):
    """The Transfer button of a visit: the counter to send the visitor to;
    ``action_transfer`` does it with the id chosen, as over RPC."""

    _name = "crm.mall.visit.transfer"
    _description = "Transfer a visitor to another counter"

    visit_id = fields.Many2one(
        "crm.mall.visit", required=True, readonly=True, ondelete="cascade"
    )
    from_counter_id = fields.Many2one(related="visit_id.counter_id")
    company_id = fields.Many2one(related="visit_id.company_id")
    counter_id = fields.Many2one(
        "crm.mall.counter",
        string="Transfer to",
        required=True,
        domain="[('id', '!=', from_counter_id), ('company_id', '=', company_id)]",
    )

    def action_apply(self):
        self.ensure_one()
        self.visit_id.action_transfer(self.counter_id.id)
        return {"type": "ir.actions.act_window_close"}
