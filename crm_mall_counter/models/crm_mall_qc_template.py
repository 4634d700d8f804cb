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


class CrmMallQcTemplate(models.Model):
    """A quality-control checklist. Inspections copy its items when they start,
    so editing a template never changes past inspections; each edit of a used
    template raises its version."""

    _name = "crm.mall.qc.template"
    _description = "QC checklist template"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    zone = fields.Char(help="Area of the mall it is for; empty: any zone.")
    shift_template_ids = fields.Many2many(
        "crm.mall.shift.template", string="Shifts", help="Empty: every shift."
    )
    version = fields.Integer(default=1, readonly=True, tracking=True)
    active = fields.Boolean(default=True)
    item_ids = fields.One2many("crm.mall.qc.item", "template_id", copy=True)
    inspection_ids = fields.One2many("crm.mall.qc.inspection", "template_id")
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )

    def _bump_version(self):
        for template in self.filtered("inspection_ids"):
            template.version += 1


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
