# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmIsoChartBoard(models.TransientModel):
    """A dashboard of charts for a period (complaints here; the satisfaction
    addon adds its own board). The charts are :meth:`crm.iso.chart.get_charts`,
    drawn by the ``crm_iso_charts`` widget."""

    _name = "crm.iso.chart.board"
    _inherit = ["crm.iso.dashboard.mixin"]
    _description = "Chart dashboard"

    board = fields.Selection(
        [("complaints", "Complaints")], default="complaints", required=True
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self.env["crm.iso.chart"]._chart_default_period()[0],
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: self.env["crm.iso.chart"]._chart_default_period()[1],
    )
    charts = fields.Json(compute="_compute_charts")

    def _compute_display_name(self):
        labels = dict(self._fields["board"]._description_selection(self.env))
        for board in self:
            board.display_name = labels.get(board.board)

    @api.model
    def action_open_board(self, board):
        """The dashboard ``board`` on a saved record: it opens as it is, not as
        an unsaved new record."""
        labels = dict(self._fields["board"]._description_selection(self.env))
        if board not in labels:
            raise UserError(self.env._("Unknown dashboard: %(board)s", board=board))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_complaint_dashboard"
        )
        action.update(
            name=labels[board],
            res_id=self.create({"board": board}).id,
            context={},
        )
        return action

    @api.model
    def _board_charts(self):
        """Board -> the charts it shows."""
        return {
            "complaints": [
                "complaints_trend",
                "complaints_by_category",
                "sla_by_team",
                "disputes",
            ]
        }

    @api.depends("board", "date_from", "date_to")
    def _compute_charts(self):
        Chart = self.env["crm.iso.chart"]
        for board in self:
            board.charts = Chart.get_charts(
                self._board_charts()[board.board], board.date_from, board.date_to
            )
