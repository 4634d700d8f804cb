# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    code = fields.Char(
        help="Stable technical code of the channel of receipt (counter, "
        "call_centre, email, web, letter, social), used by reports and the other "
        "addons of the suite.",
        index="btree_not_null",
    )
