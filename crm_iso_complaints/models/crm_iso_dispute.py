# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
USE_NEXT = _lt("use the case's Next step button")

STATES = [
    ("proposed", "Proposed"),
    ("accepted", "Accepted by the customer"),
    ("submitted", "Submitted to the provider"),
    ("in_progress", "In progress"),
    ("outcome", "Outcome"),
    ("closed", "Closed"),
]
NEXT_STATE = {
    "proposed": "accepted",
    "accepted": "submitted",
    "submitted": "in_progress",
    "in_progress": "outcome",
    "outcome": "closed",
}
STATE_DATES = {
    "accepted": "accepted_date",
    "submitted": "submitted_date",
    "in_progress": "started_date",
    "outcome": "outcome_date",
    "closed": "closed_date",
}


class CrmIsoDispute(models.Model):
    """External dispute resolution of a complaint (ISO 10003)."""

    _name = "crm.iso.dispute"
    _description = "Dispute resolution case"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.iso.guarded.mixin"]
    _order = "id desc"
    _crm_iso_protected = {
        "name": _lt("the reference is drawn when the case is created"),
        "state": USE_NEXT,
        "consent_date": USE_NEXT,
        "accepted_date": USE_NEXT,
        "submitted_date": USE_NEXT,
        "started_date": USE_NEXT,
        "closed_date": USE_NEXT,
    }
    _crm_iso_write_once = ("complaint_id",)

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="/", index=True
    )
    complaint_id = fields.Many2one(
        "helpdesk.ticket",
        check_company=True,
        required=True,
        ondelete="restrict",
        index=True,
        domain=[("is_complaint", "=", True)],
        tracking=True,
    )
    partner_id = fields.Many2one(
        related="complaint_id.partner_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="complaint_id.company_id", store=True, index=True
    )
    provider_id = fields.Many2one(
        "crm.iso.dr.provider",
        check_company=True,
        required=True,
        tracking=True,
        index=True,
    )
    method_id = fields.Many2one("crm.iso.dr.method", required=True, tracking=True)
    method_kind = fields.Selection(related="method_id.kind", store=True)
    state = fields.Selection(
        STATES,
        default="proposed",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    customer_consent = fields.Boolean(tracking=True)
    consent_date = fields.Datetime(readonly=True)
    proposed_date = fields.Date(default=fields.Date.context_today, required=True)
    accepted_date = fields.Date(readonly=True)
    submitted_date = fields.Date(readonly=True)
    started_date = fields.Date(readonly=True)
    outcome_date = fields.Date(tracking=True)
    closed_date = fields.Date(readonly=True)
    deadline = fields.Date(
        compute="_compute_deadline",
        store=True,
        help="Submission date plus the method's expected duration.",
    )
    cost_amount = fields.Monetary(string="Cost", currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    # outcome
    outcome_type = fields.Selection(
        [
            ("settled", "Settled"),
            ("decision", "Decision of the provider"),
            ("no_agreement", "No agreement"),
            ("withdrawn", "Withdrawn"),
        ],
        tracking=True,
    )
    settlement_terms = fields.Text()
    decision = fields.Text()
    accepted_by_customer = fields.Boolean(tracking=True)
    accepted_by_organisation = fields.Boolean(tracking=True)
    implementation_due_date = fields.Date(tracking=True)
    implementation_done_date = fields.Date(tracking=True)
    implemented_on_time = fields.Boolean(
        compute="_compute_implemented_on_time", store=True
    )
    duration_days = fields.Integer(
        compute="_compute_duration_days",
        store=True,
        help="Days from submission to the outcome.",
    )
    customer_satisfaction = fields.Selection(
        [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")],
        string="Customer satisfaction with the process",
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Documents")

    _complaint_uniq = models.Constraint(
        "UNIQUE (complaint_id)", "A complaint has one dispute resolution case."
    )

    @api.depends("submitted_date", "method_id.max_days")
    def _compute_deadline(self):
        for case in self:
            case.deadline = case.submitted_date and case.submitted_date + timedelta(
                days=case.method_id.max_days
            )

    @api.depends("implementation_due_date", "implementation_done_date")
    def _compute_implemented_on_time(self):
        for case in self:
            case.implemented_on_time = bool(
                case.implementation_done_date
                and case.implementation_due_date
                and case.implementation_done_date <= case.implementation_due_date
            )

    @api.depends("submitted_date", "outcome_date")
    def _compute_duration_days(self):
        for case in self:
            case.duration_days = (
                (case.outcome_date - case.submitted_date).days
                if case.submitted_date and case.outcome_date
                else 0
            )

    # ------------------------------------------------------------ rules
    @api.constrains("provider_id", "method_id")
    def _check_method_offered(self):
        for case in self:
            if case.method_id not in case.provider_id.method_ids:
                raise ValidationError(
                    self.env._(
                        "%(provider)s does not offer %(method)s.",
                        provider=case.provider_id.name,
                        method=case.method_id.name,
                    )
                )
            if not case.provider_id.dr_active:
                raise ValidationError(
                    self.env._(
                        "%(provider)s is not an active provider.",
                        provider=case.provider_id.name,
                    )
                )

    @api.constrains(
        "submitted_date",
        "outcome_date",
        "implementation_due_date",
        "implementation_done_date",
    )
    def _check_dates(self):
        for case in self:
            start = case.submitted_date
            later = (
                case.outcome_date,
                case.implementation_due_date,
                case.implementation_done_date,
            )
            if start and any(date and date < start for date in later):
                raise ValidationError(
                    self.env._(
                        "Outcome and implementation dates of %(case)s cannot be "
                        "before its submission on %(date)s.",
                        case=case.name,
                        date=start,
                    )
                )

    @api.constrains("complaint_id")
    def _check_complaint_eligible(self):
        for case in self:
            reason = case.complaint_id._crm_iso_dispute_ineligibility()
            if reason:
                raise ValidationError(reason)

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        complaint_ids = [vals.get("complaint_id") for vals in vals_list]
        taken = self.with_context(active_test=False).search(
            [("complaint_id", "in", complaint_ids)]
        )
        if taken or len(set(complaint_ids)) < len(complaint_ids):
            raise ValidationError(
                self.env._(
                    "A complaint has one dispute resolution case: %(cases)s.",
                    cases=", ".join(taken.mapped("name")) or "-",
                )
            )
        self._crm_iso_check_create(vals_list)
        vals_list = [
            {**vals, "name": self.env["ir.sequence"].next_by_code("crm.iso.dispute")}
            for vals in vals_list
        ]
        with self._crm_iso_unlocked():
            cases = super().create(vals_list)
        cases._log_dispute_event()
        for case in cases:
            case.complaint_id.message_post(
                body=self.env._(
                    "External dispute resolution proposed: %(case)s with %(provider)s.",
                    case=case.name,
                    provider=case.provider_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return cases

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dispute(self):
        raise UserError(
            self.env._(
                "A dispute resolution case is a legal record: it is never deleted."
            )
        )

    # ------------------------------------------------------------ flow
    def action_next(self):
        """The one transition of a case: to its next stage, by a dispute officer."""
        if not self.env.user.has_group("crm_iso_complaints.group_dispute_officer"):
            raise UserError(self.env._("Only a dispute officer moves a dispute case."))
        for case in self:
            target = NEXT_STATE.get(case.state)
            if not target:
                raise UserError(self.env._("%(case)s is closed.", case=case.name))
            case._check_can_enter(target)
            values = {"state": target}
            if target in STATE_DATES and not case[STATE_DATES[target]]:
                values[STATE_DATES[target]] = self._crm_iso_today()
            if target == "accepted":
                values["consent_date"] = fields.Datetime.now()
            origin = case.state
            case._crm_iso_write(values)
            case._log_dispute_event({"from": origin, **values})
            if target == "closed":
                case._close_the_loop()
        return True

    def _log_dispute_event(self, values=None):
        self.env["crm.iso.event"]._append(
            self,
            "dispute",
            {
                case.id: values
                or {
                    "state": case.state,
                    "complaint": case.complaint_id.complaint_ref,
                    "provider_id": case.provider_id.id,
                    "method_id": case.method_id.id,
                }
                for case in self
            },
            ref_field="name",
        )

    def _check_can_enter(self, target):
        self.ensure_one()
        if target == "accepted" and not self.customer_consent:
            raise UserError(
                self.env._("Record the customer's consent before going on.")
            )
        if target == "closed" and not self.outcome_type:
            raise UserError(self.env._("Record the outcome before closing."))

    def _close_the_loop(self):
        """An implemented outcome closes the complaint it came from."""
        self.ensure_one()
        complaint = self.complaint_id
        if self.implementation_done_date:
            body = self.env._(
                "Dispute %(case)s closed: outcome implemented on %(date)s.",
                case=self.name,
                date=self.implementation_done_date,
            )
        else:
            body = self.env._(
                "Dispute %(case)s closed without implementation.", case=self.name
            )
        complaint.message_post(body=body, subtype_xmlid="mail.mt_note")
        if self.implementation_done_date and complaint.complaint_state == "response":
            # closing a complaint is a complaint manager's decision (ISO 10002):
            # an officer who is not one leaves it to them
            if complaint._is_complaint_manager():
                complaint.sudo()._complaint_transition("closed")
            else:
                complaint._crm_iso_ask_managers(
                    self.env._("Close the complaint: its dispute is settled"), body
                )
