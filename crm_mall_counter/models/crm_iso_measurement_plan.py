# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmIsoMeasurementPlan(models.Model):
    _inherit = "crm.iso.measurement.plan"

    crm_mall_counter_ids = fields.Many2many(
        "crm.mall.counter",
        string="Counters",
        check_company=True,
        help="Counters whose kiosks show this plan's survey; empty: every counter.",
    )

    @api.model
    def _for_counter(self, counter):
        """The kiosk plan of a counter: one naming the counter, else one of
        every counter of its company (lowest sequence first)."""
        plans = self.sudo().search(
            [
                ("channel_kiosk", "=", True),
                ("company_id", "=", counter.company_id.id),
                "|",
                ("crm_mall_counter_ids", "=", False),
                ("crm_mall_counter_ids", "in", counter.ids),
            ]
        )
        return plans.sorted(lambda p: (not p.crm_mall_counter_ids, p.sequence))[:1]
