# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmMallLostItemMatchWizard(models.TransientModel):
    """The Match button of a lost or found item: its likely matches
    (``candidate_matches()``) to pick from, or any open item of the other kind;
    ``action_match`` does the match with the id chosen, as over RPC."""

    _name = "crm.mall.lost.item.match.wizard"
    _description = "Match a lost or found item"

    item_id = fields.Many2one(
        "crm.mall.lost.item", required=True, readonly=True, ondelete="cascade"
    )
    kind = fields.Selection(related="item_id.kind")
    company_id = fields.Many2one(related="item_id.company_id")
    candidate_ids = fields.Many2many(
        "crm.mall.lost.item",
        string="Likely matches",
        compute="_compute_candidate_ids",
    )
    match_id = fields.Many2one(
        "crm.mall.lost.item",
        string="Match with",
        domain="[('kind', '!=', kind), ('state', '=', 'open'),"
        " ('company_id', '=', company_id)]",
    )

    @api.depends("item_id")
    def _compute_candidate_ids(self):
        for wizard in self:
            wizard.candidate_ids = (
                wizard.item_id.candidate_matches() if wizard.item_id else False
            )

    def action_apply(self):
        self.ensure_one()
        self.item_id.action_match(self.match_id.id)
        return {"type": "ir.actions.act_window_close"}
