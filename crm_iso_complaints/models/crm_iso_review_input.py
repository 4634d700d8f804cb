# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
USE_PULL = _lt("use Pull the suite's inputs on an open review")

SECTIONS = [
    ("complaints", "Complaints (ISO 10002)"),
    ("disputes", "Disputes (ISO 10003)"),
    ("conduct", "Codes of conduct (ISO 10001)"),
    ("nonconformities", "Nonconformities"),
    ("actions", "Open actions"),
    ("audit", "Audit of complaints handling (ISO 10002)"),
]
STATUSES = [("met", "On target"), ("missed", "Off target"), ("info", "No target")]


class CrmIsoReviewInput(models.Model):
    """One input of a management review (ISO 9001, 9.3.2) as it was presented.

    The review's Pull button stores the rows; nobody edits them, and once the
    review is closed they never change (the guard refuses their fields and the
    deletion of a closed review's rows).
    """

    _name = "crm.iso.review.input"
    _description = "Management review input"
    _inherit = ["crm.iso.guarded.mixin"]
    _order = "review_id, sequence, id"
    _crm_iso_protected = dict.fromkeys(
        (
            "review_id",
            "sequence",
            "section",
            "code",
            "indicator",
            "value",
            "value_display",
            "target",
            "target_display",
            "status",
        ),
        USE_PULL,
    )

    review_id = fields.Many2one(
        "mgmtsystem.review", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    sequence = fields.Integer(default=0)
    section = fields.Selection(SECTIONS, required=True)
    code = fields.Char(
        required=True, help="The indicator's technical key, e.g. complaints.received."
    )
    indicator = fields.Char(required=True)
    value = fields.Float(string="Value (number)", digits=(16, 2))
    value_display = fields.Char(string="Value")
    target = fields.Float(string="Target (number)", digits=(16, 2))
    target_display = fields.Char(string="Target")
    status = fields.Selection(STATUSES, default="info", required=True)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_a_pull_of_an_open_review(self):
        if not self:
            return
        if not self._crm_iso_is_unlocked() or self.filtered(
            lambda row: row.review_id.state == "done"
        ):
            raise UserError(
                self.env._(
                    "The inputs of a management review are what was presented: "
                    "pull them again while the review is open, they are never "
                    "deleted by hand."
                )
            )
