# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""helpdesk_mgmt_merge's wizard on complaints: the suite's merge of duplicates.

OCA's merge moves the merged tickets' messages away and archives them. A
complaint is never archived that way (ISO 10002 keeps it on record, archived
only with a reason): when the wizard's tickets hold a complaint, it merges them
with ``_crm_iso_merge_into`` instead (crm_iso_complaints,
``models/helpdesk_ticket_merge.py``): copies of the messages and attachments on
the destination complaint, the others closed as its duplicates with the
wizard's reason, both in the register. Plain tickets keep OCA's merge.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicketMerge(models.TransientModel):
    _inherit = "helpdesk.ticket.merge"

    crm_iso_has_complaint = fields.Boolean(
        string="Merges complaints", compute="_compute_crm_iso_has_complaint"
    )
    crm_iso_reason = fields.Text(
        string="Why duplicates",
        help="Complaints: why the merged complaints duplicate the one kept, "
        "recorded on each and in the register.",
    )

    @api.depends("ticket_ids", "dst_ticket_id")
    def _compute_crm_iso_has_complaint(self):
        for wizard in self:
            wizard.crm_iso_has_complaint = any(
                (wizard.ticket_ids | wizard.dst_ticket_id).mapped("is_complaint")
            )

    def merge_tickets(self):
        self.ensure_one()
        if not self.crm_iso_has_complaint:
            return super().merge_tickets()
        if self.create_new_ticket:
            raise UserError(
                self.env._(
                    "Complaints are merged into one of them, the one kept: choose "
                    "it instead of creating a new ticket."
                )
            )
        keep = self.dst_ticket_id
        (self.ticket_ids - keep)._crm_iso_merge_into(keep, self.crm_iso_reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "views": [[False, "form"]],
            "res_id": keep.id,
        }
