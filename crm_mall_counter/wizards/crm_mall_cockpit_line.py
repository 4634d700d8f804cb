# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmMallCockpitLine(models.TransientModel):
    _name = "crm.mall.cockpit.line"
    _description = "Management cockpit: a counter"

    cockpit_id = fields.Many2one(
        "crm.mall.cockpit", required=True, ondelete="cascade", index=True
    )
    counter_id = fields.Many2one("crm.mall.counter")
    zone = fields.Char()
    visits = fields.Integer()
    complaints = fields.Integer()
    avg_wait = fields.Float(string="Average wait")
    p90_wait = fields.Float(string="90% waited at most")
    no_show_rate = fields.Float(string="No-shows %")
    within_level = fields.Float(string="Within service level %")
    nps = fields.Float(string="NPS")
    responses = fields.Integer()
