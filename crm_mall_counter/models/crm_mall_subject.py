# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from odoo.addons.crm_iso_complaints.tools import formulas, working_time

from .crm_mall_routing_rule import SUBJECT_TYPES

_lt = LazyTranslate(__name__)
USE_REVIEW = _lt("use the review buttons (Confirm, Requalify, Merge, Assign)")
ROUTED = _lt("the subject is routed when it is registered")
REVIEWER_GROUP = "crm_mall_counter.group_office_reviewer"
# the approved answers of the library meant for the subject's counter (or for all)
ANSWER_DOMAIN = (
    "[('crm_mall_library', '=', True), ('type', '=', 'content'),"
    " ('crm_mall_approved', '=', True), '|', ('crm_mall_counter_ids', '=', False),"
    " ('crm_mall_counter_ids', 'in', [counter_id] if counter_id else [])]"
)


def record_by_id(model, value):
    """The existing record of ``model`` an RPC argument names: an id (a number,
    digits, or a many2one value ``[id, name]``). Anything else, a recordset
    included, gives an empty recordset: the caller says what it expected, a
    clear UserError instead of a TypeError deep inside."""
    if isinstance(value, (list, tuple)) and len(value) in (1, 2):
        value = value[0]
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return model.browse()
    return model.browse(value).exists()


class CrmMallSubject(models.Model):
    """The subject of a visit or call, routed into a workflow and reviewed."""

    _name = "crm.mall.subject"
    _description = "Registered subject"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.iso.guarded.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _crm_iso_protected = {
        "state": USE_REVIEW,
        "reviewer_id": USE_REVIEW,
        "review_date": USE_REVIEW,
        "duplicate_of_id": USE_REVIEW,
        "ticket_id": ROUTED,
        "rule_id": ROUTED,
        "review_deadline": ROUTED,
    }
    _crm_iso_write_once = ("visit_id",)
    _rec_names_search = ["description", "partner_id"]

    visit_id = fields.Many2one(
        "crm.mall.visit",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    counter_id = fields.Many2one(related="visit_id.counter_id", store=True, index=True)
    channel = fields.Selection(related="visit_id.channel", store=True)
    partner_id = fields.Many2one(related="visit_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    subject_type = fields.Selection(SUBJECT_TYPES, string="Type", tracking=True)
    description = fields.Text(tracking=True)
    category_id = fields.Many2one(
        "helpdesk.ticket.category", check_company=True, tracking=True
    )
    urgency = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Critical")],
        default="1",
    )
    mood = fields.Selection(
        [
            ("calm", "Calm"),
            ("happy", "Happy"),
            ("worried", "Worried"),
            ("upset", "Upset"),
            ("angry", "Angry"),
        ],
        string="Visitor mood",
    )
    behaviour_note = fields.Text(string="Behaviour note")
    answer_page_id = fields.Many2one(
        "document.page",
        string="Answer given",
        check_company=True,
        tracking=True,
        domain=ANSWER_DOMAIN,
        help="The approved answer of the library given to the visitor: search it "
        "by its question, keywords or text.",
    )
    answer_content = fields.Html(related="answer_page_id.content", string="Answer")
    attachment_ids = fields.Many2many("ir.attachment", string="Photos and documents")
    state = fields.Selection(
        [
            ("new", "To review"),
            ("reviewed", "Reviewed"),
            ("merged", "Merged"),
        ],
        default="new",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket", check_company=True, readonly=True, index="btree_not_null"
    )
    rule_id = fields.Many2one(
        "crm.mall.routing.rule", check_company=True, readonly=True
    )
    review_deadline = fields.Datetime(readonly=True, index=True)
    reviewer_id = fields.Many2one("res.users", readonly=True)
    review_date = fields.Datetime(readonly=True)
    duplicate_of_id = fields.Many2one(
        "crm.mall.subject", check_company=True, readonly=True
    )
    is_review_overdue = fields.Boolean(
        compute="_compute_is_review_overdue", search="_search_is_review_overdue"
    )

    @api.depends("subject_type", "description", "partner_id")
    def _compute_display_name(self):
        """Type, visitor and the first words: what a reviewer recognises when
        choosing the subject to merge into."""
        labels = dict(self._fields["subject_type"]._description_selection(self.env))
        for subject in self:
            first = (subject.description or "").strip().splitlines()[:1]
            parts = [
                labels.get(subject.subject_type) or "",
                subject.partner_id.name or "",
                (first[0][:60] if first else ""),
            ]
            subject.display_name = " - ".join(p for p in parts if p) or str(subject.id)

    @api.depends("review_deadline", "state")
    def _compute_is_review_overdue(self):
        now = fields.Datetime.now()
        for subject in self:
            subject.is_review_overdue = bool(
                subject.state == "new"
                and subject.review_deadline
                and subject.review_deadline < now
            )

    def _search_is_review_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        overdue = Domain("state", "=", "new") & Domain(
            "review_deadline", "<", fields.Datetime.now()
        )
        wanted = (True in value) == (operator == "in")
        return overdue if wanted else ~overdue

    @api.constrains("subject_type", "description")
    def _check_required(self):
        for subject in self:
            if not subject.subject_type or not (subject.description or "").strip():
                raise ValidationError(
                    self.env._("A subject needs a type and a description.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        subjects = super().create(vals_list)
        subjects._set_review_deadlines()
        for subject in subjects:
            subject._crm_mall_route()
        return subjects

    def _set_review_deadlines(self):
        """Review within N working hours of the counter's (or company's) calendar."""
        now = fields.Datetime.now()
        by_calendar = defaultdict(lambda: self.browse())
        for subject in self:
            calendar = (
                subject.counter_id.calendar_id
                or subject.company_id.resource_calendar_id
            )
            by_calendar[calendar] |= subject
        for calendar, subjects in by_calendar.items():
            hours = subjects.company_id[:1].crm_mall_review_hours or 4
            deadlines = working_time.add_working_hours(
                calendar, [(now, hours)] * len(subjects)
            )
            for subject, deadline in zip(subjects, deadlines, strict=True):
                subject._crm_iso_write({"review_deadline": deadline})

    def _crm_mall_route(self):
        """A complaint becomes an ISO complaint at once; the rest follows the rules."""
        self.ensure_one()
        rule = self._routing_rule()
        values = {"rule_id": rule.id, "ticket_id": False}
        if self.subject_type == "complaint" or rule.action == "ticket":
            values["ticket_id"] = self._create_ticket(rule).id
        else:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=dict(SUBJECT_TYPES)[self.subject_type],
                note=self.description,
                user_id=rule.user_id.id,
            )
        self.sudo()._crm_iso_write(values)

    def _routing_rule(self):
        return self.env["crm.mall.routing.rule"].sudo()._crm_mall_route(self)

    def _create_ticket(self, rule):
        channel_ref = (
            "crm_iso_complaints.channel_counter"
            if self.channel == "counter"
            else "helpdesk_mgmt.helpdesk_ticket_channel_phone"
        )
        touchpoint_ref = (
            "crm_iso_complaints.touchpoint_counter"
            if self.channel == "counter"
            else "crm_iso_complaints.touchpoint_call_centre"
        )
        values = {
            "name": (self.description or "").strip().splitlines()[0][:80],
            "description": self.description,
            "partner_id": self.partner_id.id,
            "category_id": self.category_id.id,
            "team_id": rule.team_id.id,
            "user_id": rule.user_id.id,
            "priority": self.urgency,
            "company_id": self.company_id.id,
            "channel_id": self.env.ref(channel_ref).id,
            "crm_iso_touchpoint_id": self.env.ref(touchpoint_ref).id,
            "is_complaint": self.subject_type == "complaint",
        }
        ticket = self.env["helpdesk.ticket"].sudo().create(values)
        if self.attachment_ids:
            self.attachment_ids.sudo().copy(
                {"res_model": "helpdesk.ticket", "res_id": ticket.id}
            )
        return ticket

    # ------------------------------------------------------------ review
    def _check_reviewer(self, reviewed_too=False):
        """Office reviewers review; the one who registered a subject does not
        review it; a subject is reviewed once (an assignment may follow the
        review, not a merge)."""
        user = self.env.user  # the real user, also under sudo()
        if not user._is_superuser() and not user.has_group(REVIEWER_GROUP):
            raise UserError(
                self.env._("Only an office reviewer reviews registered subjects.")
            )
        if not self or len(self.exists()) != len(self):
            raise UserError(self.env._("Choose existing subjects to review."))
        for subject in self:
            if subject.create_uid == self.env.user:
                raise UserError(
                    self.env._(
                        "%(user)s registered this subject: another person reviews it.",
                        user=self.env.user.name,
                    )
                )
            if subject.state == "merged" or (
                subject.state != "new" and not reviewed_too
            ):
                raise UserError(self.env._("This subject is reviewed already."))

    def _mark_reviewed(self, values=None):
        self._crm_iso_write(
            {
                "state": "reviewed",
                "reviewer_id": self.env.uid,
                "review_date": fields.Datetime.now(),
                **(values or {}),
            }
        )

    def action_open_review(self):
        """The Review button (form and review queue): confirm, requalify, merge
        or assign in a wizard that calls the actions below."""
        self._check_reviewer()
        return self.env["crm.mall.subject.review.wizard"]._open_for(self, "confirm")

    def action_open_assign(self):
        """The Assign button of a reviewed subject."""
        self._check_reviewer(reviewed_too=True)
        return self.env["crm.mall.subject.review.wizard"]._open_for(self, "assign")

    def action_confirm(self):
        self._check_reviewer()
        self._mark_reviewed()
        return True

    def action_requalify(self, subject_type=False, category_id=False):
        """Correct the type and category (values, as over RPC).

        A subject the new values route elsewhere is routed again: what its old
        route created is closed first (a ticket goes to a closed stage; a
        pending activity is cancelled), so no orphan stays open, and the new
        route opens its own ticket or activity. A complaint is never deleted nor
        un-flagged, and rejecting it is a complaint manager's decision (ISO
        10002): a reviewer who is a complaint manager rejects it with the reason
        "Requalified at review: <type>"; any other reviewer leaves it untouched
        and every complaint manager of its company gets a to-do to decide.
        """
        self._check_reviewer()
        if not isinstance(subject_type, str) or subject_type not in dict(SUBJECT_TYPES):
            raise UserError(
                self.env._("%(type)r is not a subject type.", type=subject_type)
            )
        category = self.env["helpdesk.ticket.category"]
        if category_id:
            category = record_by_id(category, category_id)
            if not category:
                raise UserError(self.env._("Choose an existing category."))
        for subject in self:
            if (subject.subject_type, subject.category_id) == (subject_type, category):
                continue
            old_rule, old_kind = subject.rule_id, subject._route_kind()
            subject.write({"subject_type": subject_type, "category_id": category.id})
            rule = subject._routing_rule()
            new_kind = "complaint" if subject_type == "complaint" else rule.action
            if new_kind == old_kind and (new_kind == "complaint" or rule == old_rule):
                continue  # the same route: what it created stays in charge
            subject._close_route(old_rule)
            subject._crm_mall_route()
        self._mark_reviewed()
        return True

    def _route_kind(self):
        """What the subject's route created: complaint, ticket or activity."""
        if self.ticket_id:
            return "complaint" if self.ticket_id.sudo().is_complaint else "ticket"
        return "activity"

    def _close_route(self, old_rule):
        """Close what the old route created, before the subject is routed again.

        Sudo: the routing's own server code closes what it created, except a
        complaint's rejection, which checks the real user (see
        ``action_requalify``); the notes name the reviewer who requalified the
        subject."""
        self.ensure_one()
        label = dict(self._fields["subject_type"]._description_selection(self.env))
        reason = self.env._(
            "Requalified at review: %(type)s", type=label[self.subject_type]
        )
        note = self.env._(
            "%(reason)s, by %(reviewer)s (subject %(subject)s).",
            reason=reason,
            reviewer=self.env.user.name,
            subject=self.display_name,
        )
        ticket = self.ticket_id.sudo()
        if ticket.is_complaint:
            # rejecting a complaint is a complaint manager's decision (ISO 10002):
            # a reviewer who is not one leaves the complaint as it is to them
            if ticket.complaint_state not in formulas.FINAL_STATES:
                if ticket._is_complaint_manager():
                    ticket._crm_iso_reject_with_reason(reason)
                else:
                    ticket._crm_iso_ask_managers(
                        self.env._("Requalified at review: reject the complaint?"),
                        note,
                    )
            ticket.message_post(body=note, subtype_xmlid="mail.mt_note")
        elif ticket:
            if not ticket.closed:
                ticket.write({"stage_id": self._closed_stage(ticket).id})
            ticket.message_post(body=note, subtype_xmlid="mail.mt_note")
        else:
            todo = self.env.ref("mail.mail_activity_data_todo")
            self.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == todo and a.user_id == old_rule.user_id
            ).unlink()
        self.sudo().message_post(body=note, subtype_xmlid="mail.mt_note")

    def _closed_stage(self, ticket):
        """A closing stage of the ticket's team, one that is no complaint's:
        helpdesk's Cancelled when the team uses it, else the first one."""
        stages = ticket.team_id._get_applicable_stages().filtered(
            lambda s: s.closed and not s.complaint_state
        )
        cancelled = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_cancelled", raise_if_not_found=False
        )
        stage = (cancelled if cancelled and cancelled in stages else stages)[:1]
        if not stage:
            raise UserError(
                self.env._(
                    "%(ticket)s cannot be closed: its team has no closing stage.",
                    ticket=ticket.display_name,
                )
            )
        return stage

    def action_merge_into(self, target_id=False):
        """Merge duplicates into the subject ``target_id`` (an id, as over RPC):
        one ticket keeps the history. The target belongs to the same company and
        is not merged itself."""
        self._check_reviewer()
        target = record_by_id(self.env[self._name], target_id)
        if not target:
            raise UserError(self.env._("Choose the subject to merge into."))
        target.check_access("read")
        if target in self:
            raise UserError(self.env._("A subject cannot be merged into itself."))
        if target.state == "merged":
            raise UserError(
                self.env._(
                    "%(target)s was merged into another subject: merge into that one.",
                    target=target.display_name,
                )
            )
        if self.filtered(lambda s: s.company_id != target.company_id):
            raise UserError(
                self.env._("A subject is merged only into a subject of its company.")
            )
        # sudo: the routing's tickets, which a reviewer may not read
        kept = target.ticket_id.sudo()
        for subject in self:
            ticket = subject.ticket_id.sudo()
            if ticket and ticket != kept:
                ticket.message_post(
                    body=self.env._(
                        "Duplicate of %(ticket)s (merged at review).",
                        ticket=kept.display_name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                if not ticket.is_complaint:
                    ticket.duplicate_id = kept
        self._mark_reviewed({"state": "merged", "duplicate_of_id": target.id})
        return True

    def action_assign(self, user_id=False):
        """Give the subject's ticket (or its pending activities) to the user
        ``user_id`` (an id, as over RPC): an active internal user of the
        subject's company."""
        self._check_reviewer(reviewed_too=True)
        user = record_by_id(self.env["res.users"], user_id)
        if not user:
            raise UserError(self.env._("Choose the person to assign."))
        if user.share or not user.active:
            raise UserError(
                self.env._(
                    "%(user)s is not an active internal user: choose a colleague.",
                    user=user.name,
                )
            )
        for subject in self:
            if subject.company_id not in user.company_ids:
                raise UserError(
                    self.env._(
                        "%(user)s does not work for %(company)s.",
                        user=user.name,
                        company=subject.company_id.name,
                    )
                )
            if subject.ticket_id:
                subject.ticket_id.sudo().write({"user_id": user.id})
            else:
                subject.sudo().activity_ids.write({"user_id": user.id})
        self.filtered(lambda s: s.state == "new")._mark_reviewed()
        return True

    # ------------------------------------------------------------ receipt
    def action_print_receipt(self):
        """The complainant's receipt (80 mm) of the complaints these subjects
        registered: reference, dates and the QR code of the tracking link."""
        subjects = self.filtered(lambda s: s.ticket_id.sudo().is_complaint)
        if not subjects:
            raise UserError(
                self.env._("No complaint was registered from these subjects.")
            )
        return self.env.ref(
            "crm_mall_counter.action_report_counter_receipt"
        ).report_action(subjects)
