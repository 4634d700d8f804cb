# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmIsoReviewInput(models.Model):
    _inherit = "crm.iso.review.input"

    section = fields.Selection(
        selection_add=[
            ("qc", "Quality control of the mall"),
            ("competence", "Staff competence"),
            ("plan", "CRM plan goals"),
            ("competitor", "Competitor review"),
        ],
        ondelete={
            "qc": "cascade",
            "competence": "cascade",
            "plan": "cascade",
            "competitor": "cascade",
        },
    )
