# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from ..tools import formulas, jalali, working_time

_lt = LazyTranslate(__name__)
USE_BUTTONS = _lt("use the complaint's buttons (Acknowledge, Assess, Close...)")
SET_BY_CLOCKS = _lt("the deadlines and clocks are computed by the server")

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
# what only a complaint manager writes on a complaint
MANAGER_FIELDS = (*ASSESSMENT_FIELDS, "eligibility_note", "policy_id")
# the register's event of a transition, where not a plain status change
TRANSITION_EVENTS = {
    "assessed": "assessment",
    "response": "decision",
    "reopened": "reopen",
}


# fields of a complaint that only its own transitions change
PROTECTED = {
    "complaint_ref": _lt("the reference is drawn at registration"),
    "complaint_state": USE_BUTTONS,
    "received_date": _lt(
        "the server's clock records the receipt; a complaint manager registers "
        "an earlier receipt on paper with a reason"
    ),
    "receipt_backdate_reason": _lt("it is given when registering the complaint"),
    "decision_date": USE_BUTTONS,
    "customer_decision": _lt("use Accepted / Rejected by the complainant"),
    "customer_rejection_reason": _lt("use Rejected by the complainant"),
    "rejection_reason": _lt("use Reject, which asks for the reason"),
    "reopen_count": USE_BUTTONS,
    "archive_reason": _lt("use Archive, which asks for the reason"),
    **{name: USE_BUTTONS for pair in STAMPS.values() for name in pair},
    "first_response_date": SET_BY_CLOCKS,
    "last_update_date": SET_BY_CLOCKS,
    "ack_work_hours": SET_BY_CLOCKS,
    "resolve_work_hours": SET_BY_CLOCKS,
    "ack_on_time": SET_BY_CLOCKS,
    "resolve_on_time": SET_BY_CLOCKS,
    "ack_warned": SET_BY_CLOCKS,
    "resolve_warned": SET_BY_CLOCKS,
    "paused_since": _lt("use Pause and Resume"),
    "paused_work_hours": _lt("use Pause and Resume"),
    "update_paused_hours": _lt("use Pause and Resume"),
    "pause_ids": _lt("use Pause and Resume"),
    "escalation_level": _lt("the deadline cron escalates"),
    "escalation_ids": _lt("the deadline cron escalates"),
    "event_ids": _lt("the register records events itself"),
    "parent_complaint_id": _lt("a late reply of the complainant links it"),
    "dispute_ids": _lt("use Open a dispute"),
}
OBJECTIVITY = ("subject_user_ids", "conflict_user_ids")


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "crm.iso.guarded.mixin"]
    _check_company_auto = True
    _crm_iso_protected = PROTECTED

    # a company's complaint never points at another company's records
    team_id = fields.Many2one(check_company=True)
    category_id = fields.Many2one(check_company=True)

    _complaint_ref_uniq = models.UniqueIndex(
        "(company_id, complaint_ref) WHERE complaint_ref IS NOT NULL",
        "A complaint reference is unique within its company.",
    )

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
    touchpoint_id = fields.Many2one(
        "crm.iso.touchpoint", check_company=True, index=True, tracking=True
    )
    received_date = fields.Datetime(
        string="Received on", readonly=True, copy=False, index=True
    )
    receipt_backdate_reason = fields.Text(
        string="Why received earlier",
        readonly=True,
        copy=False,
        help="A complaint received earlier (on paper, say) and registered later: "
        "why its receipt moment is before its registration.",
    )
    event_ids = fields.One2many(
        "crm.iso.event",
        "res_id",
        string="Event register",
        domain=[("res_model", "=", "helpdesk.ticket")],
        readonly=True,
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
    root_cause_id = fields.Many2one(
        "crm.iso.root.cause", check_company=True, tracking=True, index=True
    )
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
        "mgmtsystem.action",
        "crm_iso_action_ticket_rel",
        "ticket_id",
        "action_id",
        string="Corrective actions",
        check_company=True,
        copy=False,
        domain=[("crm_iso_origin", "=", "complaint")],
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
    first_response_deadline = fields.Datetime(
        string="First response by",
        compute="_compute_deadlines",
        store=True,
        index="btree_not_null",
    )
    first_response_date = fields.Datetime(readonly=True, copy=False)
    update_deadline = fields.Datetime(
        string="Next update by",
        compute="_compute_deadlines",
        store=True,
        index="btree_not_null",
        help="The complainant must hear from us every N working hours while open.",
    )
    last_update_date = fields.Datetime(
        string="Last update to the complainant", readonly=True, copy=False
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
    resolve_warned = fields.Boolean(readonly=True, copy=False)
    # pauses: the clocks stand still while waiting for the complainant
    paused_since = fields.Datetime(readonly=True, copy=False, index="btree_not_null")
    paused_work_hours = fields.Float(
        string="Working hours paused", readonly=True, copy=False
    )
    update_paused_hours = fields.Float(readonly=True, copy=False)
    pause_ids = fields.One2many("crm.iso.complaint.pause", "ticket_id")
    # escalation (levels of the policy)
    escalation_level = fields.Integer(readonly=True, copy=False)
    next_escalation_date = fields.Datetime(
        compute="_compute_next_escalation", store=True, index="btree_not_null"
    )
    escalation_ids = fields.One2many("crm.iso.escalation", "ticket_id")
    # objectivity (ISO 10002, 4.6)
    subject_user_ids = fields.Many2many(
        "res.users",
        "crm_iso_ticket_subject_user_rel",
        "ticket_id",
        "user_id",
        string="Staff complained about",
        help="They cannot investigate this complaint.",
    )
    conflict_user_ids = fields.Many2many(
        "res.users",
        "crm_iso_ticket_conflict_user_rel",
        "ticket_id",
        "user_id",
        string="Declared conflicts of interest",
        readonly=True,
    )
    parent_complaint_id = fields.Many2one(
        "helpdesk.ticket",
        check_company=True,
        string="Follows complaint",
        readonly=True,
        help="A complainant's reply after the reopening window starts a new "
        "complaint linked to the old one.",
    )
    clock_state = fields.Selection(
        [
            ("running", "In progress"),
            ("paused", "Paused"),
            ("met", "Met"),
            ("breached", "Breached"),
        ],
        compute="_compute_is_overdue",
        search="_search_clock_state",
        help="State of the deadline the complaint runs against now.",
    )
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
        stages = {}  # one lookup per status, not per complaint
        for ticket in complaints:
            state = ticket.complaint_state
            if state not in stages:
                stages[state] = self.env["helpdesk.ticket.stage"]._complaint_stage(
                    state
                )
            ticket.stage_id = stages[state] or ticket.stage_id
        return super(HelpdeskTicket, self - complaints)._compute_stage_id()

    @api.depends("user_id")
    def _compute_team_id(self):
        """helpdesk_mgmt's default (the user's first team), but within the
        ticket's company: a ticket never lands in another company's team."""
        for ticket in self:
            if not ticket.team_id and ticket.user_id.helpdesk_team_ids:
                ticket.team_id = ticket.user_id.helpdesk_team_ids.filtered(
                    lambda team, t=ticket: (
                        team.company_id in (t.company_id, False) or not team.company_id
                    )
                )[:1]

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

    @api.depends(
        "policy_id",
        "received_date",
        "priority",
        "paused_work_hours",
        "last_update_date",
        "update_paused_hours",
    )
    def _compute_deadlines(self):
        """Every deadline of a batch: one calendar load per calendar.

        A deadline is the moment when its target plus the working hours spent
        paused have elapsed since receipt (since the last update for the
        periodic update): a pause moves it by exactly the time it lasted.
        """
        names = (
            "first_response_deadline",
            "ack_deadline",
            "update_deadline",
            "resolve_deadline",
            "ack_warn_date",
            "resolve_warn_date",
        )
        by_calendar = defaultdict(list)
        for ticket in self:
            ticket.update(dict.fromkeys(names, False))
            if ticket.policy_id and ticket.received_date:
                by_calendar[ticket.policy_id.calendar_id].append(ticket)
        for calendar, tickets in by_calendar.items():
            pairs, slots = [], []
            for ticket in tickets:
                targets = ticket.policy_id._targets(ticket.priority)
                start, paused = ticket.received_date, ticket.paused_work_hours
                warn = ticket.policy_id.warn_percent / 100.0
                wanted = {
                    "first_response_deadline": (
                        start,
                        targets["first_response_hours"]
                        and targets["first_response_hours"] + paused,
                    ),
                    "ack_deadline": (start, targets["ack_hours"] + paused),
                    "update_deadline": (
                        ticket.last_update_date or start,
                        targets["update_hours"]
                        and targets["update_hours"] + ticket.update_paused_hours,
                    ),
                    "resolve_deadline": (start, targets["resolve_hours"] + paused),
                    "ack_warn_date": (start, targets["ack_hours"] * warn + paused),
                    "resolve_warn_date": (
                        start,
                        targets["resolve_hours"] * warn + paused,
                    ),
                }
                for name, (moment, hours) in wanted.items():
                    if hours:
                        pairs.append((moment, hours))
                        slots.append((ticket, name))
            dates = working_time.add_working_hours(calendar, pairs)
            for (ticket, name), date in zip(slots, dates, strict=True):
                ticket[name] = date

    @api.depends(
        "escalation_level",
        "complaint_state",
        "ack_deadline",
        "resolve_deadline",
        "policy_id.escalation_level_ids",
    )
    def _compute_next_escalation(self):
        """When the next escalation level is due, for the cron to search on."""
        by_calendar = defaultdict(list)
        for ticket in self:
            ticket.next_escalation_date = False
            level = ticket._next_escalation_level()
            if level and ticket.complaint_state not in formulas.FINAL_STATES:
                by_calendar[ticket.policy_id.calendar_id].append((ticket, level))
        for calendar, rows in by_calendar.items():
            pairs = []
            for ticket, level in rows:
                targets = ticket.policy_id._targets(ticket.priority)
                pending = ticket.complaint_state in formulas.ACK_PENDING_STATES
                target = targets["ack_hours" if pending else "resolve_hours"]
                pairs.append(
                    (
                        ticket.received_date,
                        target * level.percent / 100.0 + ticket.paused_work_hours,
                    )
                )
            dates = working_time.add_working_hours(calendar, pairs)
            for (ticket, _level), date in zip(rows, dates, strict=True):
                ticket.next_escalation_date = date

    def _next_escalation_level(self):
        self.ensure_one()
        return self.policy_id.escalation_level_ids.filtered(
            lambda lvl: lvl.level == self.escalation_level + 1
        )[:1]

    def crm_iso_format_date(self, value, lang=None):
        """A date for the complainant: Jalali in Persian (mail templates, reports)."""
        self.ensure_one()
        partner = self.partner_id
        return jalali.format_local(
            value, lang or partner.lang or self.env.lang, partner.tz or self.env.user.tz
        )

    def crm_iso_text_direction(self):
        """'rtl' or 'ltr': how the language a text is rendered in is written.

        Mail templates render in the recipient's language (``env.lang``), so a
        Persian message reads right to left in the mail client too.
        """
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return lang.direction or "ltr"

    def _pending_deadline(self):
        """The deadline the complaint is running against now, if any."""
        self.ensure_one()
        if not self.is_complaint or self.complaint_state in formulas.FINAL_STATES:
            return False
        if self.complaint_state in formulas.ACK_PENDING_STATES:
            return self.ack_deadline
        return self.resolve_deadline

    @api.depends("complaint_state", "ack_deadline", "resolve_deadline", "paused_since")
    def _compute_is_overdue(self):
        now = self._now()
        by_calendar = defaultdict(list)
        for ticket in self:
            deadline = ticket._pending_deadline()
            ticket.is_overdue = bool(
                deadline and deadline < now and not ticket.paused_since
            )
            ticket.hours_left = 0.0
            ticket.clock_state = ticket._clock_state(deadline, now)
            if deadline:
                # a paused clock shows the time it had left when it stopped
                by_calendar[ticket.policy_id.calendar_id].append(
                    (ticket, ticket.paused_since or now, deadline)
                )
        for calendar, rows in by_calendar.items():
            hours = working_time.working_hours_between(
                calendar, [(moment, deadline) for _t, moment, deadline in rows]
            )
            for (ticket, _m, _d), value in zip(rows, hours, strict=True):
                ticket.hours_left = value

    def _clock_state(self, deadline, now):
        if not self.is_complaint:
            return False
        if self.complaint_state in formulas.FINAL_STATES:
            return "met" if self.resolve_on_time else "breached"
        if self.paused_since:
            return "paused"
        return "breached" if deadline and deadline < now else "running"

    def _search_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        wanted = (True in value) == (operator == "in")
        overdue = self._overdue_domain(self._now())
        return overdue if wanted else ~overdue

    def _overdue_domain(self, now):
        """Complaints running late now: stored deadlines, no loop over tickets."""
        return (
            Domain("is_complaint", "=", True)
            & Domain("paused_since", "=", False)
            & (
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
        )

    def _search_clock_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        now = self._now()
        open_ = Domain("is_complaint", "=", True) & Domain(
            "complaint_state", "not in", formulas.FINAL_STATES
        )
        closed = Domain("complaint_state", "in", formulas.FINAL_STATES)
        domains = {
            "paused": open_ & Domain("paused_since", "!=", False),
            "breached": self._overdue_domain(now)
            | (closed & Domain("resolve_on_time", "=", False)),
            "met": closed & Domain("resolve_on_time", "=", True),
            "running": open_
            & Domain("paused_since", "=", False)
            & ~self._overdue_domain(now),
        }
        return Domain.OR(domains[state] for state in value)

    def _now(self):
        """The server's clock (tests freeze it with freezegun; no context key)."""
        return fields.Datetime.now()

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
        receipt = ("received_date", "receipt_backdate_reason")
        self._crm_iso_check_create(
            [{k: v for k, v in vals.items() if k not in receipt} for vals in vals_list]
        )
        now = fields.Datetime.now()
        complaint_vals = [vals for vals in vals_list if vals.get("is_complaint")]
        for vals in vals_list:
            if not (vals.get("received_date") or vals.get("receipt_backdate_reason")):
                vals.pop("received_date", None)
                vals.pop("receipt_backdate_reason", None)
            else:
                self._check_receipt_backdate(vals, now)
        if complaint_vals:
            self._prepare_complaint_vals(complaint_vals, now)
        with self._crm_iso_unlocked():
            tickets = super().create(vals_list)
        complaints = tickets.filtered("is_complaint")
        if complaints:
            complaints._apply_category_defaults()
            complaints._log_receipt()
        return tickets

    def _check_receipt_backdate(self, vals, now):
        """An earlier receipt: a complaint manager, with a reason, never later
        than now. Otherwise the server's clock is the receipt moment."""
        if self._crm_iso_is_unlocked():
            return
        moment = vals.get("received_date")
        if not vals.get("is_complaint") or not moment:
            self._crm_iso_refuse("received_date")
        self._check_manager(self.env._("register a complaint received earlier"))
        try:
            moment = fields.Datetime.to_datetime(moment)
        except (TypeError, ValueError) as error:
            raise ValidationError(
                self.env._(
                    "The receipt moment %(value)r is not a date and time.",
                    value=vals["received_date"],
                )
            ) from error
        if moment > now:
            raise ValidationError(
                self.env._("A complaint cannot be received in the future.")
            )
        if not (vals.get("receipt_backdate_reason") or "").strip():
            raise ValidationError(
                self.env._(
                    "Say why the complaint was received before today's registration."
                )
            )
        vals["received_date"] = moment

    def _log_receipt(self):
        self.env["crm.iso.event"]._append(
            self,
            "receipt",
            {
                ticket.id: {
                    "received_date": ticket.received_date,
                    "registered": ticket.create_date,
                    "backdate_reason": ticket.receipt_backdate_reason or False,
                    "partner_id": ticket.partner_id.id,
                    "channel": ticket.channel_id.name,
                }
                for ticket in self
            },
            ref_field="complaint_ref",
        )
        backdated = self.filtered("receipt_backdate_reason")
        for ticket in backdated:
            ticket.message_post(
                body=self.env._(
                    "Registered on %(registered)s, received on %(received)s: "
                    "%(reason)s",
                    registered=ticket.create_date,
                    received=ticket.received_date,
                    reason=ticket.receipt_backdate_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _log_events(self, event, payloads=None, common=None):
        """Append ``event`` for these complaints to the event register: what
        it recorded is ``common`` plus ``payloads[id]`` for each complaint."""
        complaints = self.filtered("is_complaint")
        return self.env["crm.iso.event"]._append(
            complaints, event, payloads, ref_field="complaint_ref", common=common
        )

    def _prepare_complaint_vals(self, vals_list, now):
        """Received state and stage, reference and team of new complaints.

        Set-based: one stage lookup and one sequence lookup per company for the
        whole batch, then one number drawn per complaint.
        """
        stage = self.env["helpdesk.ticket.stage"]._complaint_stage("received")
        Category = self.env["helpdesk.ticket.category"]
        to_number = defaultdict(list)
        for vals in vals_list:
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            vals.setdefault("received_date", now)
            vals["complaint_state"] = "received"
            if stage:
                vals["stage_id"] = stage.id
            if not vals.get("team_id") and vals.get("category_id"):
                # the category's complaint team, not the assignee's first team
                # (helpdesk_mgmt's default), unless a team is given
                team = Category.browse(vals["category_id"])._complaint_team_for(company)
                if team:
                    vals["team_id"] = team.id
            to_number[company].append(vals)
        for company, company_vals in to_number.items():
            # what ir.sequence.next_by_code does, once per company
            sequence = self.env["ir.sequence"].search(
                [
                    ("code", "=", "crm.iso.complaint"),
                    ("company_id", "in", [company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
            for vals in company_vals:
                vals["complaint_ref"] = sequence._next() if sequence else False

    def _apply_category_defaults(self):
        """Severity of the complaint category, where not given (its team is set
        in ``_prepare_complaint_vals``); written so that the assessment matrix
        sets the priority."""
        by_severity = defaultdict(lambda: self.browse())
        for ticket in self.filtered("category_id.complaint_severity"):
            if not ticket.severity:
                by_severity[ticket.category_id.complaint_severity] |= ticket
        for severity, tickets in by_severity.items():
            tickets._crm_iso_write({"severity": severity})

    def write(self, vals):
        if self._crm_iso_is_unlocked():
            result = super().write(vals)
            self._sync_priority_after(vals)
            return result
        complaints = self.filtered("is_complaint")
        if vals.get("is_complaint"):
            self._become_complaints()
        elif "is_complaint" in vals and complaints:
            raise UserError(
                self.env._("A received complaint stays a complaint: reject it instead.")
            )
        if "active" in vals and complaints:
            raise UserError(
                self.env._(
                    "A complaint is archived with a reason: use Archive (Action menu)."
                )
            )
        if complaints and any(field in vals for field in MANAGER_FIELDS):
            self._check_manager(self.env._("assess a complaint"))
        before = {
            ticket.id: {name: set(ticket[name].ids) for name in OBJECTIVITY}
            for ticket in complaints
        }
        records = self
        if "stage_id" in vals and complaints:
            # a kanban drag: a request for the transition, checked like its button
            self._crm_iso_check_write(
                {k: v for k, v in vals.items() if k != "stage_id"}
            )
            others = self - complaints
            if others:
                super(HelpdeskTicket, others).write(vals)
            complaints._request_stage(vals["stage_id"])
            vals = {k: v for k, v in vals.items() if k != "stage_id"}
            if not vals:
                return True
            records = complaints
        result = super(HelpdeskTicket, records).write(vals)
        records._sync_priority_after(vals)
        if before:
            complaints._check_objectivity_append_only(before)
        if "user_id" in vals and complaints:
            complaints._log_events(
                "assignment", {t.id: {"user_id": t.user_id.id} for t in complaints}
            )
        return result

    def _request_stage(self, stage_id):
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

    def _become_complaints(self):
        tickets = self.filtered(lambda t: not t.is_complaint)
        vals_list = [{"company_id": ticket.company_id.id} for ticket in tickets]
        self._prepare_complaint_vals(vals_list, fields.Datetime.now())
        for ticket, vals in zip(tickets, vals_list, strict=True):
            vals.pop("company_id")
            ticket._crm_iso_write({**vals, "is_complaint": True})
        tickets._log_receipt()

    def _check_objectivity_append_only(self, before):
        """Objectivity records only grow: removing a person complained about or
        a declared conflict is a complaint manager's decision with a reason
        (``_remove_from_objectivity``), kept in the history."""
        added = {}
        for ticket in self:
            for name in OBJECTIVITY:
                now_ids = set(ticket[name].ids)
                if before[ticket.id][name] - now_ids:
                    raise UserError(
                        self.env._(
                            "%(ref)s: a person leaves the staff complained about or "
                            "the declared conflicts only by a complaint manager's "
                            "decision, with a reason (Remove from objectivity "
                            "record).",
                            ref=ticket.complaint_ref,
                        )
                    )
                new = now_ids - before[ticket.id][name]
                if new:
                    added.setdefault(ticket.id, {})[name] = sorted(new)
        if added:
            self.browse(list(added))._log_events(
                "objectivity", {tid: {"added": v} for tid, v in added.items()}
            )

    def _sync_priority_after(self, vals):
        """The assessment matrix sets the priority, unless it is written too."""
        if "priority" in vals or not any(f in vals for f in ASSESSMENT_FIELDS):
            return
        by_priority = defaultdict(lambda: self.browse())
        for ticket in self.filtered("assessment_score"):
            priority = formulas.priority_from_score(ticket.assessment_score)
            if priority and ticket.priority != priority:
                by_priority[priority] |= ticket
        for priority, tickets in by_priority.items():
            super(HelpdeskTicket, tickets).write({"priority": priority})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_complaint(self):
        """No one deletes a complaint through the ORM, the superuser included."""
        if self.filtered("is_complaint"):
            raise UserError(
                self.env._(
                    "A received complaint can never be deleted (ISO 10002): "
                    "archive it with a reason instead."
                )
            )

    def action_archive(self):
        if self.filtered("is_complaint"):
            return self._reason_wizard("archive")
        return super().action_archive()

    def action_unarchive(self):
        complaints = self.filtered("is_complaint")
        if complaints:
            complaints._check_manager(self.env._("restore an archived complaint"))
            complaints._crm_iso_write({"active": True})
            complaints._log_events("archive", common={"active": True})
        return super(HelpdeskTicket, self - complaints).action_unarchive()

    # ------------------------------------------------------------ lifecycle
    def _check_manager(self, what):
        if not self.env.user.has_group(MANAGER_GROUP) and not self.env.su:
            raise UserError(
                self.env._("Only a complaint manager may %(what)s.", what=what)
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
            self._check_manager(
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
            ticket._check_transition_preconditions(target, values or {})
            origins[ticket.id] = ticket.complaint_state
        self.filtered("paused_since")._resume_clocks()
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
            vals.update({"decision_date": now, "customer_decision": "pending"})
        if stage:
            vals["stage_id"] = stage.id
        self._crm_iso_write(vals)
        self._record_working_times(target, now)
        if target == "reopened":
            for ticket in self:
                ticket._crm_iso_write({"reopen_count": ticket.reopen_count + 1})
        self._log_transition(target, origins, vals)
        self._send_state_template(target)
        return True

    def _log_transition(self, target, origins, vals):
        event = TRANSITION_EVENTS.get(target, "transition")
        payloads = {}
        for ticket in self:
            payload = {"from": origins[ticket.id], "to": target}
            payload.update({k: v for k, v in vals.items() if k not in ("stage_id",)})
            if target == "assessed":
                payload.update({f: ticket[f] for f in ASSESSMENT_FIELDS})
                payload["priority"] = ticket.priority
            if target == "response":
                payload["remedy"] = ticket.remedy
                payload["response_sha256"] = hashlib.sha256(
                    (ticket.response or "").encode()
                ).hexdigest()
            if target in ("acknowledged", "closed"):
                prefix = "ack" if target == "acknowledged" else "resolve"
                payload[f"{prefix}_on_time"] = ticket[f"{prefix}_on_time"]
                payload[f"{prefix}_work_hours"] = ticket[f"{prefix}_work_hours"]
            payloads[ticket.id] = payload
        self._log_events(event, payloads)

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
            for ticket, elapsed in zip(tickets, hours, strict=True):
                value = round(max(elapsed - ticket.paused_work_hours, 0.0), 2)
                deadline = ticket[f"{prefix}_deadline"]
                ticket._crm_iso_write(
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
        return self._complaint_transition("response")

    def action_close(self):
        return self._complaint_transition("closed")

    def action_request_information(self):
        """Ask the complainant for information; the clocks wait for the answer."""
        self._notify_complainant(
            "crm_iso_complaints.mail_template_complaint_information_request"
        )
        self._pause_clocks(self.env._("Waiting for information from the complainant"))
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
        self._crm_iso_write({"customer_decision": "accepted"})
        self._log_events(
            "customer_answer",
            common={"customer_decision": "accepted"},
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

    # one method per decision taken with a reason (the reason wizard calls them)
    def _check_reason(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("A reason is required."))

    def _reject_with_reason(self, reason):
        self._check_reason(reason)
        return self._complaint_transition("rejected", {"rejection_reason": reason})

    def _reopen_with_reason(self, reason):
        self._check_reason(reason)
        self._complaint_transition("reopened")
        self.message_post(
            body=self.env._("Reopened: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _pause_with_reason(self, reason):
        self._check_reason(reason)
        self._pause_clocks(reason)
        self.message_post(
            body=self.env._("Clocks paused: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _declare_conflict(self, reason):
        """The current user declares a conflict of interest, and is unassigned."""
        self._check_reason(reason)
        user = self.env.user
        unassigned = self.filtered(lambda t: t.user_id == user)
        link = {"conflict_user_ids": [fields.Command.link(user.id)]}
        unassigned._crm_iso_write({**link, "user_id": False})
        (self - unassigned)._crm_iso_write(link)
        self._log_events(
            "objectivity",
            {t.id: {"unassigned": t in unassigned} for t in self},
            common={"conflict_declared": user.id, "reason": reason},
        )
        self.message_post(
            body=self.env._(
                "%(user)s declared a conflict of interest: %(reason)s",
                user=user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _reassign(self, user_id, reason):
        """A new investigator, with the reason; objectivity is checked on write."""
        self._check_reason(reason)
        new_user = self.env["res.users"].browse(int(user_id or 0)).exists()
        if user_id and not new_user:
            raise UserError(self.env._("The new investigator does not exist."))
        for ticket in self:
            old = ticket.user_id
            ticket.write({"user_id": new_user.id})
            ticket.message_post(
                body=self.env._(
                    "Reassigned from %(old)s to %(new)s: %(reason)s",
                    old=old.name or "-",
                    new=new_user.name or "-",
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _customer_reject(self, reason):
        self._check_reason(reason)
        for ticket in self:
            if ticket.complaint_state != "response":
                raise UserError(
                    self.env._(
                        "%(ref)s has no proposed response to reject.",
                        ref=ticket.complaint_ref,
                    )
                )
        self._crm_iso_write(
            {"customer_decision": "rejected", "customer_rejection_reason": reason}
        )
        self._log_events(
            "customer_answer",
            common={"customer_decision": "rejected", "reason": reason},
        )
        return True

    def _archive_with_reason(self, reason):
        self._check_reason(reason)
        complaints = self.filtered("is_complaint")
        complaints._crm_iso_write({"archive_reason": reason, "active": False})
        complaints._log_events("archive", common={"reason": reason})
        return super(HelpdeskTicket, self - complaints).action_archive()

    def _remove_from_objectivity(self, user_id, reason):
        """A complaint manager takes a person off the staff complained about and
        the declared conflicts, with a reason kept in the chatter and register."""
        self._check_manager(self.env._("change an objectivity record"))
        self._check_reason(reason)
        user = self.env["res.users"].browse(int(user_id or 0)).exists()
        if not user:
            raise UserError(self.env._("Choose the person to remove."))
        command = [fields.Command.unlink(user.id)]
        self._crm_iso_write(dict.fromkeys(OBJECTIVITY, command))
        self._log_events(
            "objectivity",
            common={"removed": user.id, "reason": reason},
        )
        self.message_post(
            body=self.env._(
                "%(user)s removed from the objectivity record: %(reason)s",
                user=user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_new_corrective_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mgmtsystem.action",
            "views": [
                (
                    self.env.ref("crm_iso_complaints.view_corrective_action_form").id,
                    "form",
                )
            ],
            "target": "current",
            "context": {
                "default_crm_iso_origin": "complaint",
                "default_crm_iso_complaint_ids": [fields.Command.set(self.ids)],
                "default_crm_iso_category_id": self.category_id.id,
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
        running = Domain("paused_since", "=", False)
        steps = [
            (ack, "ack_warn_date", "ack_warned", "acknowledgement"),
            (resolve, "resolve_warn_date", "resolve_warned", "resolution"),
        ]
        for domain, date_field, flag, label in steps:
            tickets = self.search(
                domain
                & running
                & Domain(flag, "=", False)
                & Domain(date_field, "<=", now)
            )
            if tickets:
                tickets._schedule_deadline_activities("warn", label, date_field)
                tickets._crm_iso_write({flag: True})
        due = self.search(open_ & running & Domain("next_escalation_date", "<=", now))
        if due:
            due._escalate()

    def _deadline_label(self, key):
        """The translated name of a deadline ("acknowledgement", "resolution")."""
        field = self.env["crm.iso.escalation"]._fields["deadline"]
        return dict(field._description_selection(self.env))[key]

    def _escalate(self):
        """Alert the next level of each complaint, once: activity, note, log.

        Set-based: one create per model and one write per level reached, whatever
        the number of complaints.
        """
        fallback = self.env.ref("base.user_admin", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities, logs, notes = [], [], {}
        by_level = defaultdict(lambda: self.browse())
        for ticket in self:
            level = ticket._next_escalation_level()
            person = level.user_id or ticket.team_id.user_id or fallback
            pending = ticket.complaint_state in formulas.ACK_PENDING_STATES
            label = "acknowledgement" if pending else "resolution"
            summary = self.env._(
                "%(ref)s escalated to level %(level)s (%(what)s deadline): %(who)s",
                ref=ticket.complaint_ref,
                level=level.level,
                what=self._deadline_label(label),
                who=person.name,
            )
            notes[ticket.id] = summary
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": todo.id,
                    "summary": summary,
                    "user_id": person.id,
                    "date_deadline": fields.Date.context_today(self),
                }
            )
            logs.append(
                {
                    "ticket_id": ticket.id,
                    "team_id": ticket.team_id.id,
                    "company_id": ticket.company_id.id,
                    "level": level.level,
                    "user_id": person.id,
                    "deadline": label,
                }
            )
            by_level[level.level] |= ticket
        self._message_log_batch(notes)
        self.env["mail.activity"].sudo().create(activities)
        Escalation = self.env["crm.iso.escalation"].sudo()
        with Escalation._crm_iso_unlocked():
            Escalation.create(logs)
        self._log_events(
            "escalation",
            {
                log["ticket_id"]: {k: v for k, v in log.items() if k != "ticket_id"}
                for log in logs
            },
        )
        for level, tickets in by_level.items():
            tickets._crm_iso_write({"escalation_level": level})

    def _schedule_deadline_activities(self, kind, label, date_field):
        """Warn the responsible (or the team leader) that a deadline approaches."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        fallback = self.env.ref("base.user_admin", raise_if_not_found=False)
        vals_list = []
        for ticket in self:
            user = ticket.user_id or ticket.team_id.user_id or fallback
            if not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._(
                        "%(ref)s: %(what)s deadline approaching",
                        ref=ticket.complaint_ref,
                        what=self._deadline_label(label),
                    ),
                    "user_id": user.id,
                    "date_deadline": fields.Date.to_date(ticket[date_field]),
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)

    # ------------------------------------------------------------ pauses
    def action_pause(self):
        return self._reason_wizard("pause")

    def _pause_clocks(self, reason):
        now = fields.Datetime.now()
        running = self.filtered(
            lambda t: (
                t.is_complaint
                and not t.paused_since
                and t.complaint_state not in formulas.FINAL_STATES
            )
        )
        running._crm_iso_write({"paused_since": now})
        Pause = self.env["crm.iso.complaint.pause"].sudo()
        with Pause._crm_iso_unlocked():
            Pause.create(
                [{"ticket_id": t.id, "start": now, "reason": reason} for t in running]
            )
        running._log_events("pause", common={"reason": reason})

    def action_resume(self):
        self._resume_clocks()
        return True

    def _resume_clocks(self):
        """Restart the clocks: deadlines move by the working time the pause took."""
        now = fields.Datetime.now()
        by_calendar = defaultdict(lambda: self.browse())
        for ticket in self.filtered("paused_since"):
            by_calendar[ticket.policy_id.calendar_id] |= ticket
        for calendar, tickets in by_calendar.items():
            hours = (
                working_time.working_hours_between(
                    calendar, [(t.paused_since, now) for t in tickets]
                )
                if calendar
                else [0.0] * len(tickets)
            )
            payloads = {}
            for ticket, paused in zip(tickets, hours, strict=True):
                open_pauses = ticket.sudo().pause_ids.filtered(lambda p: not p.stop)
                open_pauses._crm_iso_write({"stop": now, "work_hours": paused})
                ticket._crm_iso_write(
                    {
                        "paused_since": False,
                        "paused_work_hours": ticket.paused_work_hours + paused,
                        "update_paused_hours": ticket.update_paused_hours + paused,
                    }
                )
                payloads[ticket.id] = {"work_hours_paused": paused}
            tickets._log_events("resume", payloads)

    # ------------------------------------------------------------ objectivity
    @api.constrains("user_id", "subject_user_ids", "conflict_user_ids")
    def _check_objectivity(self):
        for ticket in self.filtered("is_complaint"):
            user = ticket.user_id
            if user and user in ticket.subject_user_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is the person complained about in %(ref)s and "
                        "cannot investigate it.",
                        user=user.name,
                        ref=ticket.complaint_ref,
                    )
                )
            if user and user in ticket.conflict_user_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s declared a conflict of interest on %(ref)s and "
                        "cannot investigate it.",
                        user=user.name,
                        ref=ticket.complaint_ref,
                    )
                )

    def action_declare_conflict(self):
        return self._reason_wizard("conflict")

    def action_reassign(self):
        return self._reason_wizard("reassign")

    def action_remove_objectivity(self):
        return self._reason_wizard("remove_objectivity")

    # ------------------------------------------------------------ messages
    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if len(self) == 1 and self.is_complaint:
            self._crm_iso_on_message(message)
        return message

    def _crm_iso_on_message(self, message):
        """Updates to the complainant restart the update clock; their replies
        resume the clocks, and reopen a closed complaint (or start a new one)."""
        now = fields.Datetime.now()
        complainant = self.partner_id
        if message.message_type not in ("email", "comment") or message.is_internal:
            return
        if complainant and message.author_id == complainant:
            self._crm_iso_on_complainant_reply(message)
        elif complainant in message.partner_ids:
            values = {"last_update_date": now, "update_paused_hours": 0.0}
            if not self.first_response_date:
                values["first_response_date"] = now
            self._crm_iso_write(values)

    def _crm_iso_on_complainant_reply(self, message):
        if self.paused_since:
            self._resume_clocks()
        if self.complaint_state != "closed":
            return
        window = self.company_id.crm_iso_reopen_days
        closed = self.complaint_closed_date
        if closed and fields.Datetime.now() - closed <= timedelta(days=window):
            self.sudo()._complaint_transition("reopened")
            self.sudo().message_post(
                body=self.env._("Reopened: the complainant replied."),
                subtype_xmlid="mail.mt_note",
            )
            return
        with self._crm_iso_unlocked():
            follow_up = self.sudo().create(
                {
                    "name": self.name,
                    "description": message.body,
                    "is_complaint": True,
                    "partner_id": self.partner_id.id,
                    "category_id": self.category_id.id,
                    "team_id": self.team_id.id,
                    "channel_id": self.channel_id.id,
                    "touchpoint_id": self.touchpoint_id.id,
                    "company_id": self.company_id.id,
                    "parent_complaint_id": self.id,
                }
            )
        self.sudo().message_post(
            body=self.env._(
                "The complainant replied after the reopening window: new complaint "
                "%(ref)s.",
                ref=follow_up.complaint_ref,
            ),
            subtype_xmlid="mail.mt_note",
        )
