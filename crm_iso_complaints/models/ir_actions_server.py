# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .helpdesk_ticket_stage_sync import foreign_stage_writes


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    def run(self):
        """Crons and automation rules run here: their stage writes on complaints
        become transitions or notes, never errors (helpdesk_ticket_stage_sync.py)."""
        with foreign_stage_writes():
            return super().run()
