# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .helpdesk_ticket_stage_sync import BY_NOBODY, foreign_stage_writes


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(self, model, message, custom_values=None, **kwargs):
        """The mail gateway: a stage write on a complaint while an incoming e-mail
        is routed (helpdesk_ticket_partner_response) never takes a transition
        (the sender is not authenticated) and never loses the e-mail
        (helpdesk_ticket_stage_sync.py)."""
        with foreign_stage_writes(BY_NOBODY):
            return super().message_process(
                model, message, custom_values=custom_values, **kwargs
            )
