# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The complaint itself: its flag, its reference, its receipt, and the write gate.

A helpdesk ticket becomes an ISO 10002 complaint (``is_complaint``): it gets a
reference drawn per company and a receipt moment stamped by the server's clock.
From then on ``create`` and ``write`` below are the gates every change passes;
``crm.iso.guarded.mixin`` refuses the protected fields that each concern of the
ticket lists in its own ``_crm_iso_protected`` (the guard reads their union).

The other concerns of the complaint, one file each, next to this one:

* ``helpdesk_ticket_lifecycle.py``: the transitions, who may take them, stamps;
* ``helpdesk_ticket_assessment.py``: severity, impact, investigation, response;
* ``helpdesk_ticket_clocks.py``: deadlines and the clocks running against them;
* ``helpdesk_ticket_pauses.py``: pausing the clocks while waiting for the complainant;
* ``helpdesk_ticket_escalation.py``: warnings and escalation levels (the cron);
* ``helpdesk_ticket_dispute.py``: external dispute resolution (ISO 10003);
* ``helpdesk_ticket_objectivity.py``: who may investigate (ISO 10002, 4.6);
* ``helpdesk_ticket_mail.py``: mails, the complainant's replies, reopening;
* ``helpdesk_ticket_qms.py``: corrective actions.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools import formulas
from .helpdesk_ticket_assessment import MANAGER_FIELDS
from .helpdesk_ticket_lifecycle import USE_BUTTONS
from .helpdesk_ticket_objectivity import OBJECTIVITY

_lt = LazyTranslate(__name__)
# SQL of the domain [("is_complaint", "=", True), ("complaint_state", "not in",
# FINAL_STATES)] as the ORM writes it: the predicate of the views' indexes
BEING_HANDLED = (
    "is_complaint IS TRUE AND (complaint_state NOT IN ({}) OR complaint_state IS NULL)"
).format(", ".join(f"'{state}'" for state in formulas.FINAL_STATES))


class HelpdeskTicket(models.Model):
    """A helpdesk ticket that may be an ISO 10002 complaint."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "crm.iso.guarded.mixin"]
    _check_company_auto = True
    # fields of a complaint that only its own transitions change (this file's share)
    _crm_iso_protected = {
        "complaint_ref": _lt("the reference is drawn at registration"),
        "complaint_state": USE_BUTTONS,
        "complaint_received_date": _lt(
            "the server's clock records the receipt; a complaint manager registers "
            "an earlier receipt on paper with a reason"
        ),
        "complaint_receipt_backdate_reason": _lt(
            "it is given when registering the complaint"
        ),
        "complaint_archive_reason": _lt("use Archive, which asks for the reason"),
        "complaint_event_ids": _lt("the register records events itself"),
    }
    # a company's ticket never points at another company's records: helpdesk_mgmt
    # leaves these unchecked, so a user of company A could attach company B's
    # partner (and read its name through the ticket). Partners, tags and channels
    # without a company stay shared; users must belong to the ticket's company.
    team_id = fields.Many2one(check_company=True)
    category_id = fields.Many2one(check_company=True)
    partner_id = fields.Many2one(check_company=True)
    user_id = fields.Many2one(check_company=True)
    channel_id = fields.Many2one(check_company=True)
    tag_ids = fields.Many2many(check_company=True)
    duplicate_id = fields.Many2one(check_company=True)
    _complaint_ref_uniq = models.UniqueIndex(
        "(company_id, complaint_ref) WHERE complaint_ref IS NOT NULL",
        "A complaint reference is unique within its company.",
    )
    # The complaint views open on "Being handled" (search_default_complaint_open)
    # and read their first page in helpdesk_mgmt's _order ("priority desc,
    # sequence, number desc, id desc"). Both indexes hold only the complaints being
    # handled, under the very predicate the ORM writes for that filter (PostgreSQL
    # uses a partial index only when it can prove the query implies it): the list
    # walks the first one and stops after 80 rows; each kanban column reads its
    # first 80 along the second. The second one also carries what the rest of the
    # views' WHERE checks (active, company_id), so counting the complaints being
    # handled, per stage or with their activities' state (the list's count, the
    # kanban's columns and progress bar) reads that index alone, not the rows of
    # the table. bench/bench_complaint_views.py measures them.
    _complaint_open_order_idx = models.Index(
        f"(priority DESC, sequence, number DESC, id DESC) WHERE {BEING_HANDLED}"
    )
    _complaint_open_stage_idx = models.Index(
        "(stage_id, priority DESC, sequence, number DESC, id DESC) "
        f"INCLUDE (company_id, active) WHERE {BEING_HANDLED}"
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
    crm_iso_touchpoint_id = fields.Many2one(
        "crm.iso.touchpoint",
        string="Touchpoint",
        check_company=True,
        index=True,
        tracking=True,
    )
    complaint_received_date = fields.Datetime(
        string="Received on", readonly=True, copy=False, index=True
    )
    complaint_receipt_backdate_reason = fields.Text(
        string="Why received earlier",
        readonly=True,
        copy=False,
        help="A complaint received earlier (on paper, say) and registered later: "
        "why its receipt moment is before its registration.",
    )
    complaint_archive_reason = fields.Text(
        string="Archive Reason", readonly=True, copy=False, tracking=True
    )
    complaint_event_ids = fields.One2many(
        "crm.iso.event",
        "res_id",
        string="Event register",
        domain=[("res_model", "=", "helpdesk.ticket")],
        readonly=True,
    )

    # --------------------------------------------------------- computes and constraints
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

    def _crm_iso_now(self):
        """The server's clock (tests freeze it with freezegun; no context key)."""
        return fields.Datetime.now()

    # ------------------------------------------------- create: registration and receipt
    @api.model_create_multi
    def create(self, vals_list):
        # the caller's dicts stay as given: Odoo retries a request with them
        vals_list = [dict(vals) for vals in vals_list]
        receipt = ("complaint_received_date", "complaint_receipt_backdate_reason")
        self._crm_iso_check_create(
            [{k: v for k, v in vals.items() if k not in receipt} for vals in vals_list]
        )
        now = fields.Datetime.now()
        complaint_vals = [vals for vals in vals_list if vals.get("is_complaint")]
        for vals in vals_list:
            if not (
                vals.get("complaint_received_date")
                or vals.get("complaint_receipt_backdate_reason")
            ):
                vals.pop("complaint_received_date", None)
                vals.pop("complaint_receipt_backdate_reason", None)
            else:
                self._check_crm_iso_receipt_backdate(vals, now)
        if complaint_vals:
            self._prepare_complaint_vals(complaint_vals, now)
        self._crm_iso_prepare_ticket_numbers(vals_list)
        # mail posts "Ticket created" on each new record, one message_post each:
        # the batch gets them below, together (helpdesk_ticket_mail.py)
        log_creation = self._crm_iso_logs_creation_in_batch()
        creator = self.with_context(mail_create_nolog=True) if log_creation else self
        with self._crm_iso_unlocked():
            tickets = super(HelpdeskTicket, creator).create(vals_list)
        tickets = tickets.with_env(self.env)
        if log_creation:
            tickets._crm_iso_message_post_creation_batch()
        complaints = tickets.filtered("is_complaint")
        if complaints:
            complaints._crm_iso_apply_category_defaults()
            complaints._crm_iso_log_receipt()
        return tickets

    def _crm_iso_logs_creation_in_batch(self):
        """Whether ``create`` posts the "Ticket created" messages itself, for
        the batch (``_crm_iso_message_post_creation_batch``), instead of mail's
        ``create`` one record at a time: whenever mail would post them (the
        caller did not ask for ``mail_create_nolog`` or ``tracking_disable``).

        ``TestMessagePins`` (tests/test_upstream_pins.py) answers ``False``
        here to create the same tickets through mail's own path and compare.
        """
        context = self.env.context
        return not context.get("mail_create_nolog") and not context.get(
            "tracking_disable"
        )

    def _check_crm_iso_receipt_backdate(self, vals, now):
        """An earlier receipt: a complaint manager, with a reason, never later
        than now. Otherwise the server's clock is the receipt moment."""
        if self._crm_iso_is_unlocked():
            return
        moment = vals.get("complaint_received_date")
        if not vals.get("is_complaint") or not moment:
            self._crm_iso_refuse("complaint_received_date")
        self._check_crm_iso_manager(self.env._("register a complaint received earlier"))
        try:
            moment = fields.Datetime.to_datetime(moment)
        except (TypeError, ValueError) as error:
            raise ValidationError(
                self.env._(
                    "The receipt moment %(value)r is not a date and time.",
                    value=vals["complaint_received_date"],
                )
            ) from error
        if moment > now:
            raise ValidationError(
                self.env._("A complaint cannot be received in the future.")
            )
        if not (vals.get("complaint_receipt_backdate_reason") or "").strip():
            raise ValidationError(
                self.env._(
                    "Say why the complaint was received before today's registration."
                )
            )
        vals["complaint_received_date"] = moment

    def _prepare_complaint_vals(self, vals_list, now):
        """Received state and stage, reference and team of new complaints.

        Set-based: one stage lookup for the whole batch, and the references
        drawn at once from each sequence (``_crm_iso_next_by_code_batch``).
        """
        stage = self.env["helpdesk.ticket.stage"]._complaint_stage("received")
        # the categories of the batch, read together (one prefetch, not one each)
        categories = {
            category.id: category
            for category in self.env["helpdesk.ticket.category"].browse(
                sorted(
                    {
                        vals["category_id"]
                        for vals in vals_list
                        if vals.get("category_id")
                    }
                )
            )
        }
        company_ids = []
        for vals in vals_list:
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            vals.setdefault("complaint_received_date", now)
            vals["complaint_state"] = "received"
            if stage:
                vals["stage_id"] = stage.id
            if not vals.get("team_id") and vals.get("category_id"):
                # the category's complaint team, not the assignee's first team
                # (helpdesk_mgmt's default), unless a team is given
                category = categories[vals["category_id"]]
                team = category._complaint_team_for(company)
                if team:
                    vals["team_id"] = team.id
            company_ids.append(company.id)
        refs = self.env["ir.sequence"]._crm_iso_next_by_code_batch(
            "crm.iso.complaint", company_ids
        )
        for vals, ref in zip(vals_list, refs, strict=True):
            vals["complaint_ref"] = ref

    def _crm_iso_prepare_ticket_numbers(self, vals_list):
        """helpdesk_mgmt's ticket numbers, drawn for the batch at once; the
        numbers given are kept (helpdesk_mgmt's ``create`` keeps them).

        Mirrors helpdesk_mgmt's ``helpdesk.ticket._prepare_ticket_number``,
        which its ``create`` calls for each ticket without a number: one
        ``next_by_code("helpdesk.ticket.sequence")`` in the ticket's company,
        ``"/"`` without a sequence. Pinned by
        ``TestSequencePins.test_ticket_numbers_as_helpdesk_mgmt``
        (tests/test_upstream_pins.py).
        """
        to_number = [vals for vals in vals_list if vals.get("number", "/") == "/"]
        numbers = self.env["ir.sequence"]._crm_iso_next_by_code_batch(
            "helpdesk.ticket.sequence",
            [vals.get("company_id") or self.env.company.id for vals in to_number],
        )
        for vals, number in zip(to_number, numbers, strict=True):
            vals["number"] = number or "/"

    def _crm_iso_log_receipt(self):
        self.env["crm.iso.event"]._append(
            self,
            "receipt",
            {
                ticket.id: {
                    "complaint_received_date": ticket.complaint_received_date,
                    "registered": ticket.create_date,
                    "backdate_reason": ticket.complaint_receipt_backdate_reason
                    or False,
                    "partner_id": ticket.partner_id.id,
                    "channel": ticket.channel_id.name,
                }
                for ticket in self
            },
            ref_field="complaint_ref",
        )
        backdated = self.filtered("complaint_receipt_backdate_reason")
        for ticket in backdated:
            ticket.message_post(
                body=self.env._(
                    "Registered on %(registered)s, received on %(received)s: "
                    "%(reason)s",
                    registered=ticket.create_date,
                    received=ticket.complaint_received_date,
                    reason=ticket.complaint_receipt_backdate_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _crm_iso_log_events(self, event, payloads=None, common=None):
        """Append ``event`` for these complaints to the event register: what
        it recorded is ``common`` plus ``payloads[id]`` for each complaint."""
        complaints = self.filtered("is_complaint")
        return self.env["crm.iso.event"]._append(
            complaints, event, payloads, ref_field="complaint_ref", common=common
        )

    def _check_company(self, fnames=None):
        """Odoo's company error names the other company's records, read as
        superuser: a user of company A would read the name of company B's
        partner in it. The same refusal, naming the fields only."""
        try:
            return super()._check_company(fnames)
        except UserError:
            fields_checked = [
                field._description_string(self.env)
                for name, field in self._fields.items()
                if field.relational
                and field.check_company
                and (fnames is None or name in fnames)
            ]
            raise UserError(
                self.env._(
                    "A ticket of %(company)s points only at records of its company "
                    "or shared ones; check: %(fields)s.",
                    company=", ".join(self.company_id.mapped("display_name")),
                    fields=", ".join(sorted(set(fields_checked))),
                )
            ) from None

    # ---------------------------------------------- write: the one gate of every change
    def write(self, vals):
        if self._crm_iso_is_unlocked():
            result = super().write(vals)
            self._crm_iso_sync_priority_after(vals)
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
            self._check_crm_iso_manager(self.env._("assess a complaint"))
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
            complaints._crm_iso_request_stage(vals["stage_id"])
            vals = {k: v for k, v in vals.items() if k != "stage_id"}
            if not vals:
                return True
            records = complaints
        result = super(HelpdeskTicket, records).write(vals)
        records._crm_iso_sync_priority_after(vals)
        if before:
            complaints._check_crm_iso_objectivity_append_only(before)
        if "user_id" in vals and complaints:
            complaints._crm_iso_log_events(
                "assignment", {t.id: {"user_id": t.user_id.id} for t in complaints}
            )
        return result

    def _become_complaints(self):
        tickets = self.filtered(lambda t: not t.is_complaint)
        vals_list = [{"company_id": ticket.company_id.id} for ticket in tickets]
        self._prepare_complaint_vals(vals_list, fields.Datetime.now())
        for ticket, vals in zip(tickets, vals_list, strict=True):
            vals.pop("company_id")
            ticket._crm_iso_write({**vals, "is_complaint": True})
        tickets._crm_iso_log_receipt()
        tickets._crm_iso_drop_sla()

    # -------------------------------------------- never deleted, archived with a reason
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
            return self._crm_iso_reason_wizard("archive")
        return super().action_archive()

    def action_unarchive(self):
        complaints = self.filtered("is_complaint")
        if complaints:
            complaints._check_crm_iso_manager(
                self.env._("restore an archived complaint")
            )
            complaints._crm_iso_write({"active": True})
            complaints._crm_iso_log_events("archive", common={"active": True})
        return super(HelpdeskTicket, self - complaints).action_unarchive()

    def _crm_iso_archive_with_reason(self, reason):
        self._check_crm_iso_reason(reason)
        complaints = self.filtered("is_complaint")
        complaints._crm_iso_write({"complaint_archive_reason": reason, "active": False})
        complaints._crm_iso_log_events("archive", common={"reason": reason})
        return super(HelpdeskTicket, self - complaints).action_archive()
