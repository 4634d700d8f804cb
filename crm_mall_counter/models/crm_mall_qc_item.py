# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

ANSWER_TYPES = [
    ("yes_no", "Yes / no"),
    ("rating", "Rating 1-5"),
    ("number", "Number with thresholds"),
    ("text", "Text"),
    ("photo", "Photo"),
]


class CrmMallQcItem(models.Model):
    _name = "crm.mall.qc.item"
    _description = "QC checklist item"
    _order = "section, sequence, id"

    template_id = fields.Many2one(
        "crm.mall.qc.template", required=True, ondelete="cascade", index=True
    )
    section = fields.Char(required=True, default="General", translate=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    answer_type = fields.Selection(ANSWER_TYPES, required=True, default="yes_no")
    weight = fields.Float(default=1.0)
    mandatory = fields.Boolean(default=True)
    photo_required = fields.Boolean(help="A photo is required as evidence.")
    number_min = fields.Float(string="Minimum accepted")
    number_max = fields.Float(string="Maximum accepted")

    @api.constrains("weight", "number_min", "number_max", "answer_type")
    def _check_item(self):
        for item in self:
            if item.weight < 0:
                raise ValidationError(
                    self.env._("An item's weight cannot be negative.")
                )
            if item.answer_type == "number" and item.number_max < item.number_min:
                raise ValidationError(
                    self.env._(
                        "%(item)s: the maximum is below the minimum.", item=item.name
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        items.template_id._bump_version()
        return items

    def write(self, vals):
        result = super().write(vals)
        self.template_id._bump_version()
        return result

    def unlink(self):
        templates = self.template_id
        result = super().unlink()
        templates._bump_version()
        return result
