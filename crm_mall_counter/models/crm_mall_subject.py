# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from odoo.addons.crm_iso_complaints.tools import working_time

from .crm_mall_routing_rule import SUBJECT_TYPES

_lt = LazyTranslate(__name__)
USE_REVIEW = _lt("use the review buttons (Confirm, Requalify, Merge, Assign)")
ROUTED = _lt("the subject is routed when it is registered")


class CrmMallSubject(models.Model):
    """The subject of a visit or call, routed into a workflow and reviewed."""

    _name = "crm.mall.subject"
    _description = "Registered subject"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.iso.guarded.mixin"]
    _order = "id desc"
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

    visit_id = fields.Many2one(
        "crm.mall.visit", required=True, ondelete="restrict", index=True
    )
    counter_id = fields.Many2one(related="visit_id.counter_id", store=True, index=True)
    channel = fields.Selection(related="visit_id.channel", store=True)
    partner_id = fields.Many2one(related="visit_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    subject_type = fields.Selection(SUBJECT_TYPES, string="Type", tracking=True)
    description = fields.Text(tracking=True)
    category_id = fields.Many2one("helpdesk.ticket.category", tracking=True)
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
        "helpdesk.ticket", readonly=True, index="btree_not_null"
    )
    rule_id = fields.Many2one("crm.mall.routing.rule", readonly=True)
    review_deadline = fields.Datetime(readonly=True, index=True)
    reviewer_id = fields.Many2one("res.users", readonly=True)
    review_date = fields.Datetime(readonly=True)
    duplicate_of_id = fields.Many2one("crm.mall.subject", readonly=True)
    is_review_overdue = fields.Boolean(
        compute="_compute_is_review_overdue", search="_search_is_review_overdue"
    )

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
            subject._route()
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

    def _route(self):
        """A complaint becomes an ISO complaint at once; the rest follows the rules."""
        self.ensure_one()
        rule = self.env["crm.mall.routing.rule"].sudo()._route(self)
        values = {"rule_id": rule.id}
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
            "touchpoint_id": self.env.ref(touchpoint_ref).id,
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
        """The one who registered a subject does not review it; a subject is
        reviewed once (an assignment may follow the review)."""
        for subject in self:
            if subject.create_uid == self.env.user:
                raise UserError(
                    self.env._(
                        "%(user)s registered this subject: another person reviews it.",
                        user=self.env.user.name,
                    )
                )
            if subject.state != "new" and not reviewed_too:
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

    def action_confirm(self):
        self._check_reviewer()
        self._mark_reviewed()
        return True

    def action_requalify(self, subject_type, category_id=False):
        """Correct type/category; the subject is routed again if that changes it."""
        self._check_reviewer()
        if subject_type not in dict(SUBJECT_TYPES):
            raise UserError(
                self.env._("%(type)r is not a subject type.", type=subject_type)
            )
        for subject in self:
            was_complaint = subject.subject_type == "complaint"
            subject.write({"subject_type": subject_type, "category_id": category_id})
            if subject_type == "complaint" and not was_complaint:
                subject._route()
        self._mark_reviewed()
        return True

    def action_merge_into(self, target_id):
        """Merge duplicates into the subject ``target_id``: one ticket keeps the
        history."""
        self._check_reviewer()
        target = self.browse(int(target_id or 0)).exists()
        if not target:
            raise UserError(self.env._("Choose the subject to merge into."))
        if target in self:
            raise UserError(self.env._("A subject cannot be merged into itself."))
        for subject in self:
            if subject.ticket_id and subject.ticket_id != target.ticket_id:
                subject.ticket_id.sudo().message_post(
                    body=self.env._(
                        "Duplicate of %(ticket)s (merged at review).",
                        ticket=target.ticket_id.display_name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                if not subject.ticket_id.is_complaint:
                    subject.ticket_id.sudo().duplicate_id = target.ticket_id
        self._mark_reviewed({"state": "merged", "duplicate_of_id": target.id})
        return True

    def action_assign(self, user_id):
        """Give the subject's ticket to the user ``user_id``."""
        self._check_reviewer(reviewed_too=True)
        user = self.env["res.users"].browse(int(user_id or 0)).exists()
        if not user:
            raise UserError(self.env._("Choose the person to assign."))
        self.ticket_id.sudo().write({"user_id": user.id})
        self._mark_reviewed()
        return True
