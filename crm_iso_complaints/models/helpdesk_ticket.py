# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..tools import formulas, working_time

# field stamped with the moment and the user of each transition
STAMPS = {
    "acknowledged": ("acknowledged_date", "acknowledged_uid"),
    "assessed": ("assessed_date", "assessed_uid"),
    "investigation": ("investigation_date", "investigation_uid"),
    "response": ("response_date", "response_uid"),
    "closed": ("complaint_closed_date", "complaint_closed_uid"),
    "rejected": ("rejected_date", "rejected_uid"),
    "reopened": ("reopened_date", "reopened_uid"),
}
# mail template sent to the complainant when the complaint enters a state
STATE_TEMPLATES = {
    "acknowledged": "crm_iso_complaints.mail_template_complaint_acknowledgement",
    "response": "crm_iso_complaints.mail_template_complaint_decision",
    "closed": "crm_iso_complaints.mail_template_complaint_closure",
}
# groups allowed to move a complaint into a state (others: complaint officers)
MANAGER_STATES = ("assessed", "rejected", "closed")
MANAGER_GROUP = "crm_iso_complaints.group_complaint_manager"
ASSESSMENT_FIELDS = ("severity", "impact", "complexity", "is_eligible")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    is_complaint = fields.Boolean(
        string="Complaint",
        index=True,
        tracking=True,
        copy=False,
        help="Handled as an ISO 10002 complaint: reference, lifecycle, deadlines.",
    )
    complaint_ref = fields.Char(
        string="Complaint reference", readonly=True, copy=False, index="btree_not_null"
    )
    complaint_state = fields.Selection(
        formulas.STATES,
        string="Complaint status",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    touchpoint_id = fields.Many2one("crm.iso.touchpoint", index=True, tracking=True)
    received_date = fields.Datetime(
        string="Received on", readonly=True, copy=False, index=True
    )
    # --- assessment
    severity = fields.Selection(formulas.SEVERITIES, tracking=True)
    impact = fields.Selection(formulas.IMPACTS, tracking=True)
    complexity = fields.Selection(formulas.COMPLEXITIES, tracking=True)
    assessment_score = fields.Integer(
        compute="_compute_assessment_score",
        store=True,
        help="Severity x impact x complexity (see tools/formulas.py).",
    )
    is_eligible = fields.Boolean(
        string="Eligible complaint",
        tracking=True,
        help="Confirmed by the assessor: it is a complaint and within scope.",
    )
    eligibility_note = fields.Text()
    # --- investigation and response
    findings = fields.Html(sanitize_style=True)
    root_cause_id = fields.Many2one("crm.iso.root.cause", tracking=True, index=True)
    root_cause_detail = fields.Text()
    remedy = fields.Selection(
        [
            ("apology", "Apology"),
            ("replacement", "Replacement"),
            ("refund", "Refund"),
            ("repair", "Repair"),
            ("compensation", "Compensation"),
            ("explanation", "Explanation"),
            ("other", "Other"),
        ],
        tracking=True,
    )
    response = fields.Html(
        string="Response to the complainant",
        sanitize_style=True,
        help="The decision and remedy communicated to the complainant.",
    )
    decision_date = fields.Datetime(
        string="Decision communicated on", readonly=True, copy=False
    )
    customer_decision = fields.Selection(
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
    customer_rejection_reason = fields.Text(readonly=True, copy=False)
    rejection_reason = fields.Text(
        string="Reason for rejection", readonly=True, copy=False, tracking=True
    )
    reopen_count = fields.Integer(readonly=True, copy=False)
    archive_reason = fields.Text(readonly=True, copy=False, tracking=True)
    corrective_action_ids = fields.Many2many(
        "crm.iso.corrective.action",
        "crm_iso_corrective_action_ticket_rel",
        "ticket_id",
        "action_id",
        string="Corrective actions",
        copy=False,
    )
    # --- stamps of the transitions
    acknowledged_date = fields.Datetime(readonly=True, copy=False)
    acknowledged_uid = fields.Many2one("res.users", readonly=True, copy=False)
    assessed_date = fields.Datetime(readonly=True, copy=False)
    assessed_uid = fields.Many2one("res.users", readonly=True, copy=False)
    investigation_date = fields.Datetime(readonly=True, copy=False)
    investigation_uid = fields.Many2one("res.users", readonly=True, copy=False)
    response_date = fields.Datetime(readonly=True, copy=False)
    response_uid = fields.Many2one("res.users", readonly=True, copy=False)
    complaint_closed_date = fields.Datetime(readonly=True, copy=False, index=True)
    complaint_closed_uid = fields.Many2one("res.users", readonly=True, copy=False)
    rejected_date = fields.Datetime(readonly=True, copy=False)
    rejected_uid = fields.Many2one("res.users", readonly=True, copy=False)
    reopened_date = fields.Datetime(readonly=True, copy=False)
    reopened_uid = fields.Many2one("res.users", readonly=True, copy=False)
    # --- deadlines (working hours on the policy's calendar)
    policy_id = fields.Many2one(
        "crm.iso.complaint.policy",
        string="Deadline policy",
        compute="_compute_policy_id",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    ack_deadline = fields.Datetime(
        string="Acknowledge by",
        compute="_compute_deadlines",
        store=True,
        index="btree_not_null",
    )
    resolve_deadline = fields.Datetime(
        string="Resolve by",
        compute="_compute_deadlines",
        store=True,
        index="btree_not_null",
    )
    ack_warn_date = fields.Datetime(compute="_compute_deadlines", store=True)
    resolve_warn_date = fields.Datetime(compute="_compute_deadlines", store=True)
    ack_work_hours = fields.Float(
        string="Working hours to acknowledge", readonly=True, copy=False
    )
    resolve_work_hours = fields.Float(
        string="Working hours to resolve", readonly=True, copy=False
    )
    ack_on_time = fields.Boolean(string="Acknowledged in time", readonly=True)
    resolve_on_time = fields.Boolean(string="Resolved in time", readonly=True)
    ack_warned = fields.Boolean(readonly=True, copy=False)
    ack_escalated = fields.Boolean(readonly=True, copy=False)
    resolve_warned = fields.Boolean(readonly=True, copy=False)
    resolve_escalated = fields.Boolean(readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    dispute_ids = fields.One2many("crm.iso.dispute", "complaint_id")
    can_assess = fields.Boolean(
        compute="_compute_can_assess",
        help="The current user may assess, reject and close complaints.",
    )
    hours_left = fields.Float(
        string="Working hours left",
        compute="_compute_is_overdue",
        help="Working hours until the next deadline (negative: overdue).",
    )

    # ------------------------------------------------------------ computes
    @api.depends("severity", "impact", "complexity")
    def _compute_assessment_score(self):
        for ticket in self:
            ticket.assessment_score = formulas.assessment_score(
                ticket.severity, ticket.impact, ticket.complexity
            )

    @api.depends("team_id")
    def _compute_stage_id(self):
        """A complaint's stage is the one of its status, whatever the team."""
        complaints = self.filtered("complaint_state")
        for ticket in complaints:
            stage = self.env["helpdesk.ticket.stage"]._complaint_stage(
                ticket.complaint_state
            )
            ticket.stage_id = stage or ticket.stage_id
        return super(HelpdeskTicket, self - complaints)._compute_stage_id()

    @api.depends_context("uid")
    def _compute_can_assess(self):
        self.can_assess = self.env.user.has_group(MANAGER_GROUP)

    @api.depends("is_complaint", "category_id", "team_id", "severity", "company_id")
    def _compute_policy_id(self):
        complaints = self.filtered("is_complaint")
        (self - complaints).policy_id = False
        if complaints:
            policies = self.env["crm.iso.complaint.policy"]._match(complaints)
            for ticket in complaints:
                ticket.policy_id = policies[ticket.id]

    @api.depends("policy_id", "received_date")
    def _compute_deadlines(self):
        """Deadlines of a batch: one calendar load per calendar, no query per ticket."""
        empty = dict.fromkeys(
            ("ack_deadline", "resolve_deadline", "ack_warn_date", "resolve_warn_date"),
            False,
        )
        by_calendar = defaultdict(list)
        for ticket in self:
            if ticket.policy_id and ticket.received_date:
                by_calendar[ticket.policy_id.calendar_id].append(ticket)
            else:
                ticket.update(empty)
        for calendar, tickets in by_calendar.items():
            pairs = []
            for ticket in tickets:
                policy, start = ticket.policy_id, ticket.received_date
                warn = policy.warn_percent / 100.0
                pairs += [
                    (start, policy.ack_hours),
                    (start, policy.resolve_hours),
                    (start, policy.ack_hours * warn),
                    (start, policy.resolve_hours * warn),
                ]
            dates = working_time.add_working_hours(calendar, pairs)
            for index, ticket in enumerate(tickets):
                ack, resolve, ack_warn, resolve_warn = dates[index * 4 : index * 4 + 4]
                ticket.update(
                    {
                        "ack_deadline": ack,
                        "resolve_deadline": resolve,
                        "ack_warn_date": ack_warn,
                        "resolve_warn_date": resolve_warn,
                    }
                )

    def _pending_deadline(self):
        """The deadline the complaint is running against now, if any."""
        self.ensure_one()
        if not self.is_complaint or self.complaint_state in formulas.FINAL_STATES:
            return False
        if self.complaint_state in formulas.ACK_PENDING_STATES:
            return self.ack_deadline
        return self.resolve_deadline

    @api.depends_context("crm_iso_now")
    @api.depends("complaint_state", "ack_deadline", "resolve_deadline")
    def _compute_is_overdue(self):
        now = self._now()
        by_calendar = defaultdict(list)
        for ticket in self:
            deadline = ticket._pending_deadline()
            ticket.is_overdue = bool(deadline and deadline < now)
            ticket.hours_left = 0.0
            if deadline:
                by_calendar[ticket.policy_id.calendar_id].append((ticket, deadline))
        for calendar, rows in by_calendar.items():
            hours = working_time.working_hours_between(
                calendar, [(now, deadline) for _ticket, deadline in rows]
            )
            for (ticket, _deadline), value in zip(rows, hours, strict=True):
                ticket.hours_left = value

    def _search_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        now = self._now()
        overdue = Domain("is_complaint", "=", True) & (
            (
                Domain("complaint_state", "in", formulas.ACK_PENDING_STATES)
                & Domain("ack_deadline", "<", now)
            )
            | (
                Domain(
                    "complaint_state",
                    "not in",
                    formulas.ACK_PENDING_STATES + formulas.FINAL_STATES,
                )
                & Domain("resolve_deadline", "<", now)
            )
        )
        wanted = (True in value) == (operator == "in")
        return overdue if wanted else ~overdue

    def _now(self):
        return self.env.context.get("crm_iso_now") or fields.Datetime.now()

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        stages = super()._read_group_stage_ids(stages, domain)
        if self.env.context.get("crm_iso_complaints_view"):
            return stages.search([("complaint_state", "!=", False)])
        return stages.filtered(lambda stage: not stage.complaint_state)

    # ------------------------------------------------------------ constraints
    @api.constrains("is_complaint", "partner_id", "channel_id")
    def _check_complaint_partner(self):
        web = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False
        )
        for ticket in self:
            if (
                ticket.is_complaint
                and not ticket.partner_id
                and web
                and ticket.channel_id == web
            ):
                raise ValidationError(
                    self.env._(
                        "A complaint submitted from the web or the portal must "
                        "name the customer who complains."
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("is_complaint"):
                self._prepare_complaint_vals(vals, now)
        tickets = super().create(vals_list)
        complaints = tickets.filtered("is_complaint")
        if complaints:
            complaints._apply_category_defaults()
        return tickets

    def _prepare_complaint_vals(self, vals, now):
        vals.setdefault("received_date", now)
        vals["complaint_state"] = "received"
        if not vals.get("complaint_ref"):
            seq = self.env["ir.sequence"]
            if vals.get("company_id"):
                seq = seq.with_company(vals["company_id"])
            vals["complaint_ref"] = seq.next_by_code("crm.iso.complaint")
        stage = self.env["helpdesk.ticket.stage"]._complaint_stage("received")
        if stage:
            vals["stage_id"] = stage.id

    def _apply_category_defaults(self):
        """Team and severity of the complaint category, where not given."""
        for ticket in self.filtered("category_id"):
            category = ticket.category_id
            values = {}
            if not ticket.team_id and category.complaint_team_id:
                values["team_id"] = category.complaint_team_id.id
            if not ticket.severity and category.complaint_severity:
                values["severity"] = category.complaint_severity
            if values:
                ticket.with_context(crm_iso_transition=True).write(values)

    def write(self, vals):
        if self.env.context.get("crm_iso_transition"):
            result = super().write(vals)
            self._sync_priority_after(vals)
            return result
        if vals.get("is_complaint"):
            self._become_complaints()
        elif "is_complaint" in vals and any(self.mapped("is_complaint")):
            raise UserError(
                self.env._("A received complaint stays a complaint: reject it instead.")
            )
        complaints = self.filtered("is_complaint")
        if complaints and any(field in vals for field in ASSESSMENT_FIELDS):
            self._check_manager(self.env._("assess a complaint"))
        records = self
        if "stage_id" in vals and complaints:
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if not stage.complaint_state:
                raise UserError(
                    self.env._(
                        "Stage %(stage)s is not a complaint stage: move complaints "
                        "through the complaint lifecycle.",
                        stage=stage.name,
                    )
                )
            others = self - complaints
            if others:
                super(HelpdeskTicket, others).write(vals)
            for ticket in complaints:
                if ticket.complaint_state != stage.complaint_state:
                    ticket._complaint_transition(stage.complaint_state)
            vals = {k: v for k, v in vals.items() if k != "stage_id"}
            if not vals:
                return True
            records = complaints  # the others are written already
        result = super(HelpdeskTicket, records).write(vals)
        records._sync_priority_after(vals)
        return result

    def _become_complaints(self):
        now = fields.Datetime.now()
        for ticket in self.filtered(lambda t: not t.is_complaint):
            vals = {"company_id": ticket.company_id.id}
            ticket._prepare_complaint_vals(vals, now)
            vals.pop("company_id")
            ticket.with_context(crm_iso_transition=True).write(vals)

    def _sync_priority_after(self, vals):
        """The assessment matrix sets the priority, unless it is written too."""
        if "priority" in vals or not any(f in vals for f in ASSESSMENT_FIELDS):
            return
        for ticket in self.filtered("assessment_score"):
            priority = formulas.priority_from_score(ticket.assessment_score)
            if priority and ticket.priority != priority:
                super(HelpdeskTicket, ticket).write({"priority": priority})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_complaint(self):
        if self.filtered("is_complaint"):
            raise UserError(
                self.env._(
                    "A received complaint can never be deleted (ISO 10002): "
                    "archive it with a reason instead."
                )
            )

    def action_archive(self):
        if self.filtered("is_complaint") and not self.env.context.get(
            "crm_iso_archive_reason"
        ):
            return self._reason_wizard("archive")
        return super().action_archive()

    # ------------------------------------------------------------ lifecycle
    def _check_manager(self, what):
        if not self.env.user.has_group(MANAGER_GROUP) and not self.env.su:
            raise UserError(
                self.env._("Only a complaint manager may %(what)s.", what=what)
            )

    def _complaint_transition(self, target, values=None):
        """Move complaints to ``target``: the one gate of the lifecycle.

        Checks the transition is allowed and its preconditions hold, stamps who
        and when, syncs the helpdesk stage, records working times and sends the
        state's mail template.
        """
        labels = dict(formulas.STATES)
        if target in MANAGER_STATES:
            self._check_manager(
                self.env._("move a complaint to %(state)s", state=labels[target])
            )
        now = fields.Datetime.now()
        stage = self.env["helpdesk.ticket.stage"]._complaint_stage(target)
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
            ticket._check_transition_preconditions(target, values or {})
        date_field, user_field = STAMPS[target]
        vals = dict(values or {})
        vals.update(
            {
                "complaint_state": target,
                date_field: now,
                user_field: self.env.uid,
            }
        )
        if stage:
            vals["stage_id"] = stage.id
        ctx_self = self.with_context(crm_iso_transition=True)
        ctx_self.write(vals)
        ctx_self._record_working_times(target, now)
        if target == "reopened":
            for ticket in ctx_self:
                ticket.reopen_count += 1
        self._send_state_template(target)
        return True

    def _check_transition_preconditions(self, target, values):
        self.ensure_one()
        get = lambda name: values.get(name, self[name])
        if target == "rejected" and not get("rejection_reason"):
            raise UserError(
                self.env._(
                    "Say why %(ref)s is not a complaint.", ref=self.complaint_ref
                )
            )
        if target == "assessed" and not (
            get("severity") and get("impact") and get("is_eligible")
        ):
            raise UserError(
                self.env._(
                    "Assess %(ref)s first: severity, impact and eligibility.",
                    ref=self.complaint_ref,
                )
            )
        if target == "response" and not (get("response") and get("remedy")):
            raise UserError(
                self.env._(
                    "Record the response and the remedy of %(ref)s before "
                    "proposing it.",
                    ref=self.complaint_ref,
                )
            )
        if target == "closed" and not (self.decision_date and self.response):
            raise UserError(
                self.env._(
                    "%(ref)s cannot be closed without a recorded response and a "
                    "decision communicated to the complainant.",
                    ref=self.complaint_ref,
                )
            )

    def _record_working_times(self, target, now):
        """Working hours to acknowledge / resolve, stored for the KPIs."""
        field_by_target = {"acknowledged": "ack", "closed": "resolve"}
        prefix = field_by_target.get(target)
        if not prefix:
            return
        by_calendar = defaultdict(lambda: self.browse())
        for ticket in self.filtered("policy_id"):
            by_calendar[ticket.policy_id.calendar_id] |= ticket
        for calendar, tickets in by_calendar.items():
            hours = working_time.working_hours_between(
                calendar, [(t.received_date, now) for t in tickets]
            )
            for ticket, value in zip(tickets, hours, strict=True):
                deadline = ticket[f"{prefix}_deadline"]
                ticket.write(
                    {
                        f"{prefix}_work_hours": value,
                        f"{prefix}_on_time": bool(deadline and now <= deadline),
                    }
                )

    def _send_state_template(self, state):
        xmlid = STATE_TEMPLATES.get(state)
        if xmlid:
            self._notify_complainant(xmlid)

    def _notify_complainant(self, template_xmlid):
        """Mail the template to complainants with an email; log it for the others."""
        template = self.env.ref(template_xmlid)
        with_email = self.filtered(lambda t: t.partner_id.email or t.partner_email)
        for ticket in with_email:
            ticket.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        for ticket in self - with_email:
            ticket.message_post(
                body=self.env._(
                    "%(template)s not sent: the complainant has no email address. "
                    "Inform them by another channel.",
                    template=template.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------ buttons
    def action_acknowledge(self):
        return self._complaint_transition("acknowledged")

    def action_assess(self):
        return self._complaint_transition("assessed")

    def action_start_investigation(self):
        return self._complaint_transition("investigation")

    def action_propose_response(self):
        self._complaint_transition("response")
        self.with_context(crm_iso_transition=True).write(
            {"decision_date": fields.Datetime.now(), "customer_decision": "pending"}
        )
        return True

    def action_close(self):
        return self._complaint_transition("closed")

    def action_request_information(self):
        self._notify_complainant(
            "crm_iso_complaints.mail_template_complaint_information_request"
        )
        return True

    def action_customer_accept(self):
        for ticket in self:
            if ticket.complaint_state != "response":
                raise UserError(
                    self.env._(
                        "%(ref)s has no proposed response to accept.",
                        ref=ticket.complaint_ref,
                    )
                )
        self.with_context(crm_iso_transition=True).write(
            {"customer_decision": "accepted"}
        )
        return True

    def action_reject(self):
        return self._reason_wizard("reject")

    def action_reopen(self):
        return self._reason_wizard("reopen")

    def action_customer_reject(self):
        return self._reason_wizard("customer_reject")

    def _reason_wizard(self, action):
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

    def _apply_reason(self, action, reason):
        """Reject, reopen, record a complainant's rejection or archive, with reason."""
        if not (reason or "").strip():
            raise UserError(self.env._("A reason is required."))
        if action == "reject":
            return self._complaint_transition("rejected", {"rejection_reason": reason})
        if action == "reopen":
            self._complaint_transition("reopened")
            return self.message_post(
                body=self.env._("Reopened: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
        if action == "customer_reject":
            for ticket in self:
                if ticket.complaint_state != "response":
                    raise UserError(
                        self.env._(
                            "%(ref)s has no proposed response to reject.",
                            ref=ticket.complaint_ref,
                        )
                    )
            return self.with_context(crm_iso_transition=True).write(
                {"customer_decision": "rejected", "customer_rejection_reason": reason}
            )
        self.with_context(crm_iso_transition=True).write({"archive_reason": reason})
        return self.with_context(crm_iso_archive_reason=True).action_archive()

    def action_new_corrective_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.iso.corrective.action",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_complaint_ids": [fields.Command.set(self.ids)],
                "default_category_id": self.category_id.id,
                "default_name": self.env._(
                    "Corrective action for %(ref)s", ref=self.complaint_ref
                ),
            },
        }

    def action_view_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_corrective_actions"
        )
        action["domain"] = [("id", "in", self.corrective_action_ids.ids)]
        return action

    def _dispute_ineligibility(self):
        """Why the complaint cannot go to external dispute resolution, or False.

        ISO 10003: only once internal handling is finished. The rule is the
        company's setting: the complainant rejected the decision, or (by
        default) also the resolution deadline passed without a resolution.
        """
        self.ensure_one()
        if not self.is_complaint:
            return self.env._("Only complaints go to dispute resolution.")
        if self.decision_date and self.customer_decision == "rejected":
            return False
        rule = self.company_id.crm_iso_dr_eligibility
        if (
            rule == "rejected_or_overdue"
            and self.complaint_state not in formulas.FINAL_STATES
            and self.resolve_deadline
            and self.resolve_deadline < self._now()
        ):
            return False
        return self.env._(
            "The internal handling of %(ref)s is not finished: the complainant has "
            "not rejected a communicated decision%(overdue)s.",
            ref=self.complaint_ref,
            overdue=self.env._(" and its resolution deadline has not passed")
            if rule == "rejected_or_overdue"
            else "",
        )

    def action_open_dispute(self):
        self.ensure_one()
        reason = self._dispute_ineligibility()
        if reason:
            raise UserError(reason)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_disputes"
        )
        action.update(
            {
                "views": [(False, "form")],
                "res_id": self.dispute_ids[:1].id,
                "context": {"default_complaint_id": self.id},
            }
        )
        return action

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_complaint_deadlines(self):
        """Warn before, escalate after each deadline: set-based, flags once."""
        now = self._now()
        open_ = Domain("is_complaint", "=", True) & Domain(
            "complaint_state", "not in", formulas.FINAL_STATES
        )
        ack = open_ & Domain("complaint_state", "in", formulas.ACK_PENDING_STATES)
        resolve = open_ & Domain(
            "complaint_state", "not in", formulas.ACK_PENDING_STATES
        )
        steps = [
            (ack, "ack_warn_date", "ack_warned", "warn", "acknowledgement"),
            (ack, "ack_deadline", "ack_escalated", "escalate", "acknowledgement"),
            (resolve, "resolve_warn_date", "resolve_warned", "warn", "resolution"),
            (
                resolve,
                "resolve_deadline",
                "resolve_escalated",
                "escalate",
                "resolution",
            ),
        ]
        for domain, date_field, flag, kind, label in steps:
            tickets = self.search(
                domain & Domain(flag, "=", False) & Domain(date_field, "<=", now)
            )
            if tickets:
                tickets._schedule_deadline_activities(kind, label, date_field)
                tickets.with_context(crm_iso_transition=True).write({flag: True})

    def _schedule_deadline_activities(self, kind, label, date_field):
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        fallback = self.env.ref("base.user_admin", raise_if_not_found=False)
        vals_list = []
        for ticket in self:
            if kind == "warn":
                user = ticket.user_id or ticket.team_id.user_id
                summary = self.env._(
                    "%(ref)s: %(what)s deadline approaching",
                    ref=ticket.complaint_ref,
                    what=label,
                )
            else:
                user = ticket.team_id.user_id or ticket.user_id
                summary = self.env._(
                    "%(ref)s: %(what)s deadline missed, escalated",
                    ref=ticket.complaint_ref,
                    what=label,
                )
            user = user or fallback
            if not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "user_id": user.id,
                    "date_deadline": fields.Date.to_date(ticket[date_field]),
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)
