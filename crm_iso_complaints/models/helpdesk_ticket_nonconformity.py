# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints feed the quality management system (ISO 9001 10.2, ISO 10002 8.9).

The link is OCA's (``helpdesk_mgmtsystem_nonconformity``): a ticket's
``nonconformity_id``, the nonconformity's ``ticket_ids``, and its "Create
Nonconformity" action. On complaints that action opens one nonconformity for all
the selected complaints of one root cause, prefilled from them: see
:meth:`MgmtsystemNonconformity._crm_iso_from_complaints`. Plain tickets keep
OCA's behaviour (one nonconformity each).
"""

from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # OCA's link, within the ticket's company
    nonconformity_id = fields.Many2one(check_company=True, copy=False, index=True)

    def action_nonconformity_create(self):
        """OCA's "Create Nonconformity": complaints open one nonconformity
        together, prefilled (and it is shown); plain tickets one each (OCA)."""
        complaints = self.filtered("is_complaint")
        if not complaints:
            return super().action_nonconformity_create()
        nonconformity = self.env["mgmtsystem.nonconformity"]._crm_iso_from_complaints(
            complaints
        )
        super(HelpdeskTicket, self - complaints).action_nonconformity_create()
        return nonconformity._crm_iso_form_action()
