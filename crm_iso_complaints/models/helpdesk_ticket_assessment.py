# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""What the complaint handler finds out: assessment, investigation, response.

The assessment matrix (severity x impact x complexity, ``tools/formulas.py``)
gives the score and sets the ticket's priority; only a complaint manager
writes it. The investigation's findings and root cause, the remedy and the
response to the complainant are recorded here before the lifecycle's
transitions check them.
"""

from collections import defaultdict

from odoo import api, fields, models

from ..tools import formulas

ASSESSMENT_FIELDS = (
    "complaint_severity",
    "complaint_impact",
    "complaint_complexity",
    "is_eligible_complaint",
)
# what only a complaint manager writes on a complaint (the policy: see clocks)
MANAGER_FIELDS = (
    *ASSESSMENT_FIELDS,
    "complaint_eligibility_note",
    "complaint_policy_id",
)


class HelpdeskTicketAssessment(models.Model):
    """Assessment, investigation and response of a complaint."""

    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------ assessment
    complaint_severity = fields.Selection(
        formulas.SEVERITIES, string="Severity", tracking=True
    )
    complaint_impact = fields.Selection(
        formulas.IMPACTS, string="Impact", tracking=True
    )
    complaint_complexity = fields.Selection(
        formulas.COMPLEXITIES, string="Complexity", tracking=True
    )
    complaint_assessment_score = fields.Integer(
        string="Assessment Score",
        compute="_compute_complaint_assessment_score",
        store=True,
        help="Severity x impact x complexity (see tools/formulas.py).",
    )
    is_eligible_complaint = fields.Boolean(
        string="Eligible complaint",
        tracking=True,
        help="Confirmed by the assessor: it is a complaint and within scope.",
    )
    complaint_eligibility_note = fields.Text(string="Eligibility Note")

    # ------------------------------------------------------- investigation and response
    complaint_investigation_findings = fields.Html(
        string="Findings", sanitize_style=True
    )
    complaint_root_cause_id = fields.Many2one(
        "crm.iso.root.cause",
        string="Root Cause",
        check_company=True,
        tracking=True,
        index=True,
    )
    complaint_root_cause_detail = fields.Text(string="Root Cause Detail")
    complaint_remedy = fields.Selection(
        [
            ("apology", "Apology"),
            ("replacement", "Replacement"),
            ("refund", "Refund"),
            ("repair", "Repair"),
            ("compensation", "Compensation"),
            ("explanation", "Explanation"),
            ("other", "Other"),
        ],
        string="Remedy",
        tracking=True,
    )
    complaint_response = fields.Html(
        string="Response to the complainant",
        sanitize_style=True,
        help="The decision and remedy communicated to the complainant.",
    )

    # ----------------------------------------------------- the matrix sets the priority
    @api.depends("complaint_severity", "complaint_impact", "complaint_complexity")
    def _compute_complaint_assessment_score(self):
        for ticket in self:
            ticket.complaint_assessment_score = formulas.complaint_assessment_score(
                ticket.complaint_severity,
                ticket.complaint_impact,
                ticket.complaint_complexity,
            )

    def _crm_iso_apply_category_defaults(self):
        """Severity of the complaint category, where not given (its team is set
        in ``_prepare_complaint_vals``); written so that the assessment matrix
        sets the priority."""
        by_severity = defaultdict(lambda: self.browse())
        for ticket in self.filtered("category_id.complaint_severity"):
            if not ticket.complaint_severity:
                by_severity[ticket.category_id.complaint_severity] |= ticket
        for severity, tickets in by_severity.items():
            tickets._crm_iso_write({"complaint_severity": severity})

    def _crm_iso_sync_priority_after(self, vals):
        """The assessment matrix sets the priority, unless it is written too."""
        if "priority" in vals or not any(f in vals for f in ASSESSMENT_FIELDS):
            return
        by_priority = defaultdict(lambda: self.browse())
        for ticket in self.filtered("complaint_assessment_score"):
            priority = formulas.priority_from_score(ticket.complaint_assessment_score)
            if priority and ticket.priority != priority:
                by_priority[priority] |= ticket
        for priority, tickets in by_priority.items():
            tickets.write({"priority": priority})
