# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_mall_routing_rule import SUBJECT_TYPES

DECISIONS = [
    ("confirm", "Confirm"),
    ("requalify", "Requalify (type, category)"),
    ("merge", "Merge into another subject"),
    ("assign", "Assign"),
]


class CrmMallSubjectReviewWizard(models.TransientModel):
    """The review of registered subjects from the web client: one decision,
    carried out by the subject's own actions (``action_confirm``,
    ``action_requalify``, ``action_merge_into``, ``action_assign``) with the ids
    and values chosen here, exactly as an RPC client calls them."""

    _name = "crm.mall.subject.review.wizard"
    _description = "Review registered subjects"

    subject_ids = fields.Many2many(
        "crm.mall.subject", string="Subjects", required=True, readonly=True
    )
    decision = fields.Selection(DECISIONS, default="confirm", required=True)
    subject_type = fields.Selection(SUBJECT_TYPES, string="New type")
    category_id = fields.Many2one("helpdesk.ticket.category", string="New category")
    partner_id = fields.Many2one(
        "res.partner", string="Visitor", compute="_compute_visitor"
    )
    company_id = fields.Many2one("res.company", compute="_compute_visitor")
    target_id = fields.Many2one(
        "crm.mall.subject",
        string="Merge into",
        domain="[('id', 'not in', subject_ids), ('partner_id', '=', partner_id),"
        " ('company_id', '=', company_id), ('state', '!=', 'merged')]",
        help="Another subject of the same visitor that keeps the history.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assign to",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )

    @api.depends("subject_ids")
    def _compute_visitor(self):
        for wizard in self:
            first = wizard.subject_ids[:1]
            wizard.partner_id = first.partner_id
            wizard.company_id = first.company_id

    @api.model
    def _open_for(self, subjects, decision):
        """The wizard for ``subjects`` (the Review and Assign buttons)."""
        first = subjects[:1]
        wizard = self.create(
            {
                "subject_ids": [fields.Command.set(subjects.ids)],
                "decision": decision,
                "subject_type": first.subject_type,
                "category_id": first.category_id.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_apply(self):
        self.ensure_one()
        subjects = self.subject_ids
        if self.decision == "confirm":
            subjects.action_confirm()
        elif self.decision == "requalify":
            if not self.subject_type:
                raise UserError(self.env._("Choose the new type."))
            subjects.action_requalify(self.subject_type, self.category_id.id)
        elif self.decision == "merge":
            subjects.action_merge_into(self.target_id.id)
        else:
            subjects.action_assign(self.user_id.id)
        return {"type": "ir.actions.act_window_close"}
