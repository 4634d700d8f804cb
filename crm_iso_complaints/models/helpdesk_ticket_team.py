# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    def _get_applicable_stages(self):
        """Ordinary tickets never start in a complaint stage."""
        return (
            super()
            ._get_applicable_stages()
            .filtered(lambda stage: not stage.complaint_state)
        )
