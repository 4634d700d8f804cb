# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmIsoComplaintReasonWizard(models.TransientModel):
    """Asks the reason of a rejection, a reopening, a complainant's rejection of
    the response, or an archiving, then applies it."""

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
        ],
        required=True,
    )
    ticket_ids = fields.Many2many("helpdesk.ticket", required=True)
    reason = fields.Text(required=True)
    user_id = fields.Many2one("res.users", string="New investigator")

    def action_apply(self):
        self.ensure_one()
        self.ticket_ids.with_context(crm_iso_new_user_id=self.user_id.id)._apply_reason(
            self.action, self.reason
        )
        return {"type": "ir.actions.act_window_close"}
