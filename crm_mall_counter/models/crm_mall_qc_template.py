# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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
