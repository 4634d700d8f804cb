# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmIsoChartBoard(models.TransientModel):
    _inherit = "crm.iso.chart.board"

    board = fields.Selection(
        selection_add=[("satisfaction", "Satisfaction")],
        ondelete={"satisfaction": "cascade"},
    )

    @api.model
    def _board_charts(self):
        return dict(
            super()._board_charts(),
            satisfaction=["satisfaction_trend", "satisfaction_by_touchpoint"],
        )
