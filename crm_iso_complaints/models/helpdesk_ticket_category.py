# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..tools import formulas


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    complaint_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Default complaint team",
        help="Complaints of this category go to this team unless one is given.",
    )
    complaint_severity = fields.Selection(
        formulas.SEVERITIES,
        string="Default severity",
        help="Severity proposed to the assessor for complaints of this category.",
    )

    def _complaint_team_for(self, company):
        """The default complaint team, if it may serve ``company``'s complaints."""
        self.ensure_one()
        team = self.complaint_team_id
        if team and team.company_id in (company, team.company_id.browse()):
            return team
        return team.browse()
