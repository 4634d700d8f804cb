# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmIsoMeasurementPlan(models.Model):
    _inherit = "crm.iso.measurement.plan"

    crm_mall_counter_ids = fields.Many2many(
        "crm.mall.counter",
        string="Counters",
        help="Counters whose kiosks show this plan's survey; empty: every counter.",
    )
