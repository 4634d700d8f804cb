# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmIsoReviewInput(models.Model):
    _inherit = "crm.iso.review.input"

    section = fields.Selection(
        selection_add=[("satisfaction", "Customer satisfaction (ISO 10004)")],
        ondelete={"satisfaction": "cascade"},
    )
