# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmIsoComplaintReasonWizard(models.TransientModel):
    """Asks the reason of a rejection, a reopening, a complainant's rejection of
    the response, an archiving or a merge of duplicates, then applies it."""

    _name = "crm.iso.complaint.reason.wizard"
    _description = "Reason for a complaint decision"

    action = fields.Selection(
        [
            ("reject", "Reject: not a complaint"),
            ("reopen", "Reopen"),
            ("customer_reject", "The complainant rejects the response"),
            ("archive", "Archive"),
            ("pause", "Pause the clocks"),
            ("conflict", "Declare a conflict of interest"),
            ("reassign", "Reassign"),
            ("remove_objectivity", "Remove from the objectivity record"),
            ("merge", "Merge duplicate"),
        ],
        required=True,
    )
    ticket_ids = fields.Many2many("helpdesk.ticket", required=True)
    reason = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Person",
        help="The new investigator (reassign) or the person to remove from the "
        "staff complained about and the declared conflicts.",
    )

    keep_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint kept",
        domain="[('is_complaint', '=', True), ('id', 'not in', ticket_ids), "
        "('complaint_state', 'not in', ('rejected', 'duplicate'))]",
        help="Merge duplicate: the complaint that goes on; the others are closed "
        "as its duplicates, their messages and attachments copied onto it.",
    )

    def action_apply(self):
        self.ensure_one()
        tickets, reason = self.ticket_ids, self.reason
        if self.action == "reassign":
            tickets._crm_iso_reassign(self.user_id.id, reason)
        elif self.action == "remove_objectivity":
            tickets._crm_iso_remove_from_objectivity(self.user_id.id, reason)
        elif self.action == "merge":
            tickets._crm_iso_merge_into(self.keep_ticket_id, reason)
        else:
            method = {
                "reject": tickets._crm_iso_reject_with_reason,
                "reopen": tickets._crm_iso_reopen_with_reason,
                "customer_reject": tickets._crm_iso_customer_reject,
                "archive": tickets._crm_iso_archive_with_reason,
                "pause": tickets._crm_iso_pause_with_reason,
                "conflict": tickets._crm_iso_declare_conflict,
            }[self.action]
            method(reason)
        return {"type": "ir.actions.act_window_close"}
