# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools import formulas


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    complaint_state = fields.Selection(
        formulas.STATES,
        index="btree_not_null",
        help="Complaint stages map one complaint status each; other tickets never "
        "use them and complaints use nothing else.",
    )

    @api.model
    def _complaint_stage(self, state):
        """The stage of a complaint status (first by sequence)."""
        return self.search([("complaint_state", "=", state)], limit=1)
