# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_iso_repeat_complaint_count = fields.Integer(
        string="Repeat complainant: complaints",
        default=3,
        help="A partner with at least this many complaints within the window "
        "below is flagged as a repeat complainant.",
    )
    crm_iso_repeat_complaint_days = fields.Integer(
        string="Repeat complainant: window (days)",
        default=90,
    )

    crm_iso_reopen_days = fields.Integer(
        string="Reopen on reply within (days)",
        default=14,
        help="A complainant's reply within this many days of closing reopens the "
        "complaint; a later reply starts a new, linked complaint.",
    )
    crm_iso_dr_eligibility = fields.Selection(
        [
            ("rejected", "The complainant rejected the decision"),
            (
                "rejected_or_overdue",
                "... or the resolution deadline passed without a resolution",
            ),
        ],
        string="Dispute resolution eligibility",
        default="rejected_or_overdue",
        required=True,
    )

    @api.constrains("crm_iso_repeat_complaint_count", "crm_iso_repeat_complaint_days")
    def _check_crm_iso_repeat_complaint(self):
        for company in self:
            if (
                company.crm_iso_repeat_complaint_count < 1
                or company.crm_iso_repeat_complaint_days < 1
            ):
                raise ValidationError(
                    self.env._(
                        "The repeat-complainant rule needs at least one complaint "
                        "and a window of at least one day."
                    )
                )
