# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""The complaint's lifecycle: its transitions, who may take them, their stamps.

``_complaint_transition`` is the one gate of the lifecycle: every button
(Acknowledge, Assess, ... Close), every kanban drag and every decision taken
with a reason calls it. It checks the transition (``tools/formulas.py``,
``TRANSITIONS``) and its preconditions, stamps who and when with the server's
clock, records the working times, appends the event to the register and mails
the complainant. Decisions taken with a reason come from the reason wizard,
one method per decision.
"""

import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import formulas
from .helpdesk_ticket_assessment import ASSESSMENT_FIELDS

_lt = LazyTranslate(__name__)
USE_BUTTONS = _lt("use the complaint's buttons (Acknowledge, Assess, Close...)")

# field stamped with the moment and the user of each transition
STAMPS = {
    "acknowledged": ("complaint_acknowledged_date", "complaint_acknowledged_uid"),
    "assessed": ("complaint_assessed_date", "complaint_assessed_uid"),
    "investigation": ("complaint_investigation_date", "complaint_investigation_uid"),
    "response": ("complaint_response_date", "complaint_response_uid"),
    "closed": ("complaint_closed_date", "complaint_closed_uid"),
    "rejected": ("complaint_rejected_date", "complaint_rejected_uid"),
    "reopened": ("complaint_reopened_date", "complaint_reopened_uid"),
    "duplicate": ("crm_iso_duplicate_date", "crm_iso_duplicate_uid"),
}
# groups allowed to move a complaint into a state (others: complaint officers)
MANAGER_STATES = ("assessed", "rejected", "closed", "duplicate")
MANAGER_GROUP = "crm_iso_complaints.group_complaint_manager"
# the register's event of a transition, where not a plain status change
TRANSITION_EVENTS = {
    "assessed": "assessment",
    "response": "decision",
    "reopened": "reopen",
    "duplicate": "duplicate",
}


class HelpdeskTicketLifecycle(models.Model):
    """The transitions of a complaint and their stamps."""

    _inherit = "helpdesk.ticket"
    _crm_iso_protected = {
        "complaint_decision_date": USE_BUTTONS,
        "complaint_customer_decision": _lt(
            "use Accepted / Rejected by the complainant"
        ),
        "complaint_customer_rejection_reason": _lt("use Rejected by the complainant"),
        "complaint_rejection_reason": _lt("use Reject, which asks for the reason"),
        "complaint_reopen_count": USE_BUTTONS,
        **{name: USE_BUTTONS for pair in STAMPS.values() for name in pair},
    }
    complaint_decision_date = fields.Datetime(
        string="Decision communicated on", readonly=True, copy=False
    )
    complaint_customer_decision = fields.Selection(
        [
            ("pending", "Awaiting the complainant"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
        ],
        string="Complainant's answer",
        readonly=True,
        copy=False,
        tracking=True,
    )
    complaint_customer_rejection_reason = fields.Text(
        string="Customer Rejection Reason", readonly=True, copy=False
    )
    complaint_rejection_reason = fields.Text(
        string="Reason for rejection", readonly=True, copy=False, tracking=True
    )
    complaint_reopen_count = fields.Integer(
        string="Reopen Count", readonly=True, copy=False
    )
    can_assess_complaint = fields.Boolean(
        string="Can Assess",
        compute="_compute_can_assess_complaint",
        help="The current user may assess, reject and close complaints.",
    )

    # -------------------------------------------------------- stamps of the transitions
    complaint_acknowledged_date = fields.Datetime(
        string="Acknowledged Date", readonly=True, copy=False
    )
    complaint_acknowledged_uid = fields.Many2one(
        "res.users", string="Acknowledged Uid", readonly=True, copy=False
    )
    complaint_assessed_date = fields.Datetime(
        string="Assessed Date", readonly=True, copy=False
    )
    complaint_assessed_uid = fields.Many2one(
        "res.users", string="Assessed Uid", readonly=True, copy=False
    )
    complaint_investigation_date = fields.Datetime(
        string="Investigation Date", readonly=True, copy=False
    )
    complaint_investigation_uid = fields.Many2one(
        "res.users", string="Investigation Uid", readonly=True, copy=False
    )
    complaint_response_date = fields.Datetime(
        string="Response Date", readonly=True, copy=False
    )
    complaint_response_uid = fields.Many2one(
        "res.users", string="Response Uid", readonly=True, copy=False
    )
    complaint_closed_date = fields.Datetime(readonly=True, copy=False, index=True)
    complaint_closed_uid = fields.Many2one("res.users", readonly=True, copy=False)
    complaint_rejected_date = fields.Datetime(
        string="Rejected Date", readonly=True, copy=False
    )
    complaint_rejected_uid = fields.Many2one(
        "res.users", string="Rejected Uid", readonly=True, copy=False
    )
    complaint_reopened_date = fields.Datetime(
        string="Reopened Date", readonly=True, copy=False
    )
    complaint_reopened_uid = fields.Many2one(
        "res.users", string="Reopened Uid", readonly=True, copy=False
    )
    crm_iso_duplicate_date = fields.Datetime(
        string="Closed as a duplicate on", readonly=True, copy=False
    )
    crm_iso_duplicate_uid = fields.Many2one(
        "res.users", string="Closed as a duplicate by", readonly=True, copy=False
    )

    # --------------------------------------------------------- stages follow the status
    @api.depends("team_id")
    def _compute_stage_id(self):
        """A complaint's stage is the one of its status, whatever the team."""
        complaints = self.filtered("complaint_state")
        stages = {}  # one lookup per status, not per complaint
        for ticket in complaints:
            state = ticket.complaint_state
            if state not in stages:
                stages[state] = self.env["helpdesk.ticket.stage"]._complaint_stage(
                    state
                )
            ticket.stage_id = stages[state] or ticket.stage_id
        return super(HelpdeskTicketLifecycle, self - complaints)._compute_stage_id()

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        stages = super()._read_group_stage_ids(stages, domain)
        if self.env.context.get("crm_iso_complaints_view"):
            return stages.search([("complaint_state", "!=", False)])
        return stages.filtered(lambda stage: not stage.complaint_state)

    def _crm_iso_request_stage(self, stage_id):
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id).exists()
        if not stage.complaint_state:
            raise UserError(
                self.env._(
                    "Stage %(stage)s is not a complaint stage: move complaints "
                    "through the complaint lifecycle.",
                    stage=stage.name or stage_id,
                )
            )
        for ticket in self:
            if ticket.complaint_state != stage.complaint_state:
                ticket._complaint_transition(stage.complaint_state)

    # ------------------------------------------------------------ the gate
    @api.depends_context("uid")
    def _compute_can_assess_complaint(self):
        self.can_assess_complaint = self.env.user.has_group(MANAGER_GROUP)

    def _is_complaint_manager(self):
        """Whether the real user decides what ISO 10002 gives to a complaint
        manager: checked on the user (``env.user`` stays the caller's under
        ``sudo()``), never on ``env.su``, so no ``sudo()`` path of another
        addon decides for them. The superuser (crons, data loading) is the
        server itself."""
        user = self.env.user
        return user._is_superuser() or user.has_group(MANAGER_GROUP)

    def _check_crm_iso_manager(self, what):
        if not self._is_complaint_manager():
            raise UserError(
                self.env._("Only a complaint manager may %(what)s.", what=what)
            )

    def _crm_iso_ask_managers(self, summary, note):
        """Leave a decision to the complaint managers: a to-do on each complaint
        for every complaint manager of its company. For the paths where someone
        else's work calls for a manager's decision (a subject requalified at the
        mall's review, a dispute whose outcome is implemented)."""
        managers = (
            self.env.ref(MANAGER_GROUP)
            .sudo()
            .all_user_ids.filtered(lambda u: u.active and not u.share)
        )
        for ticket in self.sudo():
            for manager in managers.filtered(
                lambda u, t=ticket: t.company_id in u.company_ids
            ):
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=summary,
                    note=note,
                    user_id=manager.id,
                )

    def _complaint_transition(self, target, values=None):
        """Move complaints to ``target``: the one gate of the lifecycle.

        Checks the transition is allowed and its preconditions hold, stamps who
        and when with the server's clock, syncs the helpdesk stage, records
        working times, appends the event to the register and sends the state's
        mail template. ``values``: what the transition records with it (the
        rejection reason, say), written under the same guard.
        """
        labels = dict(formulas.STATES)
        if target in MANAGER_STATES:
            self._check_crm_iso_manager(
                self.env._("move a complaint to %(state)s", state=labels[target])
            )
        now = fields.Datetime.now()
        stage = self.env["helpdesk.ticket.stage"]._complaint_stage(target)
        origins = {}
        for ticket in self:
            if not ticket.is_complaint:
                raise UserError(
                    self.env._("%(ticket)s is not a complaint.", ticket=ticket.number)
                )
            if target not in formulas.TRANSITIONS[ticket.complaint_state]:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s cannot go from %(from)s to %(to)s.",
                        ref=ticket.complaint_ref,
                        **{
                            "from": labels[ticket.complaint_state],
                            "to": labels[target],
                        },
                    )
                )
            ticket._check_crm_iso_transition_preconditions(target, values or {})
            origins[ticket.id] = ticket.complaint_state
        self.filtered("complaint_paused_since")._crm_iso_resume_clocks()
        date_field, user_field = STAMPS[target]
        vals = dict(values or {})
        vals.update(
            {
                "complaint_state": target,
                date_field: now,
                user_field: self.env.uid,
            }
        )
        if target == "response":
            vals.update(
                {
                    "complaint_decision_date": now,
                    "complaint_customer_decision": "pending",
                }
            )
        if stage:
            vals["stage_id"] = stage.id
        self._crm_iso_write(vals)
        self._crm_iso_record_working_times(target, now)
        if target == "reopened":
            self._crm_iso_write_grouped(
                {
                    ticket.id: {
                        "complaint_reopen_count": ticket.complaint_reopen_count + 1
                    }
                    for ticket in self
                }
            )
        self._crm_iso_log_transition(target, origins, vals)
        self._crm_iso_send_state_template(target)
        return True

    def _check_crm_iso_transition_preconditions(self, target, values):
        self.ensure_one()
        get = lambda name: values.get(name, self[name])
        if target == "rejected" and not get("complaint_rejection_reason"):
            raise UserError(
                self.env._(
                    "Say why %(ref)s is not a complaint.", ref=self.complaint_ref
                )
            )
        if target == "assessed" and not (
            get("complaint_severity")
            and get("complaint_impact")
            and get("is_eligible_complaint")
        ):
            raise UserError(
                self.env._(
                    "Assess %(ref)s first: severity, impact and eligibility.",
                    ref=self.complaint_ref,
                )
            )
        if target == "response" and not (
            get("complaint_response") and get("complaint_remedy")
        ):
            raise UserError(
                self.env._(
                    "Record the response and the remedy of %(ref)s before "
                    "proposing it.",
                    ref=self.complaint_ref,
                )
            )
        if target == "duplicate" and not (
            get("duplicate_id") and get("crm_iso_duplicate_reason")
        ):
            raise UserError(
                self.env._(
                    "%(ref)s is closed as a duplicate by merging it into the "
                    "complaint kept, with a reason: use Merge duplicate.",
                    ref=self.complaint_ref,
                )
            )
        if target == "closed" and not (
            self.complaint_decision_date and self.complaint_response
        ):
            raise UserError(
                self.env._(
                    "%(ref)s cannot be closed without a recorded response and a "
                    "decision communicated to the complainant.",
                    ref=self.complaint_ref,
                )
            )

    def _crm_iso_log_transition(self, target, origins, vals):
        event = TRANSITION_EVENTS.get(target, "transition")
        payloads = {}
        for ticket in self:
            payload = {"from": origins[ticket.id], "to": target}
            payload.update({k: v for k, v in vals.items() if k not in ("stage_id",)})
            if target == "assessed":
                payload.update({f: ticket[f] for f in ASSESSMENT_FIELDS})
                payload["priority"] = ticket.priority
            if target == "response":
                payload["complaint_remedy"] = ticket.complaint_remedy
                payload["response_sha256"] = hashlib.sha256(
                    (ticket.complaint_response or "").encode()
                ).hexdigest()
            if target in ("acknowledged", "closed"):
                prefix = "complaint_" + (
                    "ack" if target == "acknowledged" else "resolve"
                )
                payload[f"{prefix}_on_time"] = ticket[f"{prefix}_on_time"]
                payload[f"{prefix}_work_hours"] = ticket[f"{prefix}_work_hours"]
            payloads[ticket.id] = payload
        self._crm_iso_log_events(event, payloads)

    # ------------------------------------------------------------ buttons
    def action_acknowledge(self):
        return self._complaint_transition("acknowledged")

    def action_assess(self):
        return self._complaint_transition("assessed")

    def action_start_investigation(self):
        return self._complaint_transition("investigation")

    def action_propose_response(self):
        return self._complaint_transition("response")

    def action_close(self):
        return self._complaint_transition("closed")

    def action_customer_accept(self):
        for ticket in self:
            if ticket.complaint_state != "response":
                raise UserError(
                    self.env._(
                        "%(ref)s has no proposed response to accept.",
                        ref=ticket.complaint_ref,
                    )
                )
        self._crm_iso_write({"complaint_customer_decision": "accepted"})
        self._crm_iso_log_events(
            "customer_answer",
            common={"complaint_customer_decision": "accepted"},
        )
        return True

    def action_reject(self):
        return self._crm_iso_reason_wizard("reject")

    def action_customer_reject(self):
        return self._crm_iso_reason_wizard("customer_reject")

    def _crm_iso_reason_wizard(self, action):
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.iso.complaint.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_action": action,
                "default_ticket_ids": self.ids,
            },
        }

    # ------------------------------------------------------------ with a reason
    # one method per decision taken with a reason (the reason wizard calls them)
    def _check_crm_iso_reason(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("A reason is required."))

    def _crm_iso_reject_with_reason(self, reason):
        self._check_crm_iso_reason(reason)
        return self._complaint_transition(
            "rejected", {"complaint_rejection_reason": reason}
        )

    def _crm_iso_customer_reject(self, reason):
        self._check_crm_iso_reason(reason)
        for ticket in self:
            if ticket.complaint_state != "response":
                raise UserError(
                    self.env._(
                        "%(ref)s has no proposed response to reject.",
                        ref=ticket.complaint_ref,
                    )
                )
        self._crm_iso_write(
            {
                "complaint_customer_decision": "rejected",
                "complaint_customer_rejection_reason": reason,
            }
        )
        self._crm_iso_log_events(
            "customer_answer",
            common={"complaint_customer_decision": "rejected", "reason": reason},
        )
        return True
