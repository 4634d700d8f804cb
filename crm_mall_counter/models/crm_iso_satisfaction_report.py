# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class CrmIsoSatisfactionReport(models.Model):
    """Satisfaction KPIs cut by counter too."""

    _inherit = "crm.iso.satisfaction.report"

    counter_id = fields.Many2one("crm.mall.counter", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            "SELECT base.*, ui.crm_mall_counter_id AS counter_id FROM (%s) base "
            "JOIN survey_user_input ui ON ui.id = base.id",
            super()._table_query,
        )
