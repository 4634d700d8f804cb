# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints feed the quality management system (ISO 9001 10.2, ISO 10002 8.9).

A complaint, or several, whose root cause is systemic opens one OCA
nonconformity (``mgmtsystem.nonconformity``) prefilled from them: see
:meth:`MgmtsystemNonconformity._crm_iso_from_complaints`.
"""

from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    crm_iso_nonconformity_ids = fields.Many2many(
        "mgmtsystem.nonconformity",
        "crm_iso_nonconformity_ticket_rel",
        "ticket_id",
        "nonconformity_id",
        string="Nonconformities",
        check_company=True,
        copy=False,
        help="The nonconformities of the quality management system this "
        "complaint was raised into.",
    )
    crm_iso_nonconformity_count = fields.Integer(
        string="Nonconformity count", compute="_compute_crm_iso_nonconformity_count"
    )

    @api.depends("crm_iso_nonconformity_ids")
    def _compute_crm_iso_nonconformity_count(self):
        for ticket in self:
            ticket.crm_iso_nonconformity_count = len(ticket.crm_iso_nonconformity_ids)

    def action_crm_iso_open_nonconformity(self):
        """Open one nonconformity for these complaints (form button and list
        action) and show it."""
        nonconformity = self.env["mgmtsystem.nonconformity"]._crm_iso_from_complaints(
            self
        )
        return nonconformity._crm_iso_form_action()

    def action_crm_iso_view_nonconformities(self):
        self.ensure_one()
        return self.crm_iso_nonconformity_ids._crm_iso_list_action()
