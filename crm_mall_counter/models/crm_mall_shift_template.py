# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmMallShiftTemplate(models.Model):
    _name = "crm.mall.shift.template"
    _description = "Shift template"
    _order = "hour_from"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [("morning", "Morning"), ("evening", "Evening"), ("night", "Night")],
        required=True,
    )
    hour_from = fields.Float(required=True)
    hour_to = fields.Float(
        required=True, help="May be lower than the start: the shift ends next day."
    )
    active = fields.Boolean(default=True)

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for template in self:
            hours = (template.hour_from, template.hour_to)
            if not all(0 <= h <= 24 for h in hours) or hours[0] == hours[1]:
                raise ValidationError(
                    self.env._("A shift runs between two different hours of the day.")
                )
