# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.crm_iso_complaints.tools import jalali

_lt = LazyTranslate(__name__)
USE_REVIEW = _lt("use Submit, then the reviewer's Approve or Return")
MANAGER_GROUP = "crm_mall_counter.group_mall_manager"


#: what a submitted or approved report freezes (besides the guarded stamps)
CONTENT = ("date", "zone", "shift_template_id", "note", "company_id")


class CrmMallQcInspection(models.Model):
    """An inspector's round of a zone during a shift, scored and reviewed.

    With a competitor (``competitor_id``) it is a benchmark visit of another
    mall: the same checklists, the same scoring, the same review (the inspector
    who did it submits, another mall manager approves). The mall's own QC
    figures (cockpit, management review, CRM plan, repeated failures) count the
    rounds without a competitor only; the comparison is
    ``crm.mall.competitor.report``.
    """

    _name = "crm.mall.qc.inspection"
    _description = "QC inspection"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.iso.guarded.mixin"]
    _order = "date desc, id desc"
    _crm_iso_protected = {
        "state": USE_REVIEW,
        "reviewer_id": USE_REVIEW,
        "review_date": USE_REVIEW,
        "submitted_date": USE_REVIEW,
        "template_version": _lt("it is the template's version when the round starts"),
        "inspector_id": _lt("the inspector is the user who starts the round"),
    }
    _crm_iso_write_once = ("template_id", "competitor_id")

    name = fields.Char(compute="_compute_name", store=True)
    template_id = fields.Many2one(
        "crm.mall.qc.template", check_company=True, required=True, index=True
    )
    template_version = fields.Integer(readonly=True)
    competitor_id = fields.Many2one(
        "crm.mall.competitor",
        check_company=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Set for a benchmark visit of another mall; empty for the mall's "
        "own rounds. Given when the visit starts, never changed.",
    )
    note = fields.Text(
        string="Notes", help="What the inspector saw; frozen once submitted."
    )
    zone = fields.Char(required=True, index=True)
    shift_template_id = fields.Many2one("crm.mall.shift.template", string="Shift")
    date = fields.Date(default=fields.Date.context_today, required=True, index=True)
    inspector_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [
            ("draft", "In progress"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("returned", "Returned"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("crm.mall.qc.inspection.line", "inspection_id")
    score = fields.Float(
        string="Score %",
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="Weighted points obtained / maximum points of the scored items.",
    )
    failed_count = fields.Integer(compute="_compute_score", store=True)
    review_comment = fields.Text(tracking=True)
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    review_date = fields.Datetime(readonly=True, copy=False)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    action_order_ids = fields.One2many(
        "mgmtsystem.action", "crm_mall_inspection_id", string="Action orders"
    )

    @api.depends("template_id", "zone", "date")
    def _compute_name(self):
        for inspection in self:
            parts = (inspection.template_id.name, inspection.zone, inspection.date)
            inspection.name = " - ".join(str(part) for part in parts if part)

    @api.depends("line_ids.points", "line_ids.max_points", "line_ids.failed")
    def _compute_score(self):
        for inspection in self:
            lines = inspection.line_ids
            maximum = sum(lines.mapped("max_points"))
            inspection.score = (
                100.0 * sum(lines.mapped("points")) / maximum if maximum else 0.0
            )
            inspection.failed_count = len(lines.filtered("failed"))

    @api.model_create_multi
    def create(self, vals_list):
        self._crm_iso_check_create(vals_list)
        vals_list = [{**vals, "inspector_id": self.env.uid} for vals in vals_list]
        Training = self.env["crm.mall.training"]
        for vals in vals_list:
            Training._crm_mall_check_competence(
                "qc_inspector",
                self.env.user,
                self.env["res.company"].browse(vals.get("company_id"))
                or self.env.company,
            )
        with self._crm_iso_unlocked():
            inspections = super().create(vals_list)
        for inspection in inspections:
            inspection._copy_items()
        return inspections

    def _crm_iso_check_write(self, vals):
        """A submitted or approved report is frozen: its content too."""
        if (
            not self._crm_iso_is_unlocked()
            and set(CONTENT) & set(vals)
            and self.filtered(lambda i: i.state in ("submitted", "approved"))
        ):
            raise UserError(
                self.env._(
                    "A submitted inspection is frozen: its reviewer returns or "
                    "unlocks it first."
                )
            )
        return super()._crm_iso_check_write(vals)

    def write(self, vals):
        if "review_comment" in vals:
            for inspection in self:
                if inspection.state != "submitted" or inspection._is_own():
                    raise UserError(
                        self.env._(
                            "The review comment is written by the reviewer of a "
                            "submitted report, not by its inspector."
                        )
                    )
        return super().write(vals)

    def _is_own(self):
        return self.inspector_id == self.env.user

    def _copy_items(self):
        """Snapshot the template's items: later edits leave this inspection alone."""
        self.ensure_one()
        self._crm_iso_write({"template_version": self.template_id.version})
        self.env["crm.mall.qc.inspection.line"].create(
            [
                {
                    "inspection_id": self.id,
                    "item_id": item.id,
                    "section": item.section,
                    "name": item.name,
                    "answer_type": item.answer_type,
                    "weight": item.weight,
                    "mandatory": item.mandatory,
                    "photo_required": item.photo_required,
                    "number_min": item.number_min,
                    "number_max": item.number_max,
                }
                for item in self.template_id.item_ids
            ]
        )

    def action_submit(self):
        for inspection in self:
            missing = inspection.line_ids.filtered(
                lambda l: (
                    (l.mandatory and not l.answered)
                    or (l.photo_required and not l.photo)
                )
            )
            if missing:
                raise UserError(
                    self.env._(
                        "Answer every mandatory item and add the required photos "
                        "before submitting: %(items)s",
                        items=", ".join(missing.mapped("name")),
                    )
                )
        if self.filtered(lambda i: i.state not in ("draft", "returned")):
            raise UserError(self.env._("Only a report in progress is submitted."))
        if self.filtered(lambda i: not i._is_own()):
            raise UserError(self.env._("The inspector submits their own report."))
        self._crm_iso_write(
            {"state": "submitted", "submitted_date": fields.Datetime.now()}
        )
        self.line_ids._flag_repeated_failures()
        return True

    def action_approve(self):
        self._review("approved")
        return True

    def action_return(self):
        if any(not inspection.review_comment for inspection in self):
            raise UserError(self.env._("Say why the report is returned."))
        self._review("returned")
        return True

    def _check_reviewer(self, what):
        """Another person than the inspector reviews: a mall manager."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._("Only a mall manager may %(what)s a QC report.", what=what)
            )
        own = self.filtered(lambda i: i._is_own())
        if own:
            raise UserError(
                self.env._(
                    "%(user)s is the inspector of %(report)s: another person may "
                    "%(what)s it.",
                    user=self.env.user.name,
                    report=own[0].name,
                    what=what,
                )
            )

    def _review(self, state):
        self._check_reviewer(self.env._("review"))
        if self.filtered(lambda i: i.state != "submitted"):
            raise UserError(self.env._("Only submitted reports are reviewed."))
        self._crm_iso_write(
            {
                "state": state,
                "reviewer_id": self.env.uid,
                "review_date": fields.Datetime.now(),
            }
        )

    def action_reopen_returned(self):
        """Unlock a submitted or returned report back to in progress (reviewer)."""
        self._check_reviewer(self.env._("unlock"))
        if self.filtered(lambda i: i.state not in ("submitted", "returned")):
            raise UserError(self.env._("An approved report is never unlocked."))
        self._crm_iso_write({"state": "draft"})
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        """Submitted and approved reports are kept; a draft is deleted by someone
        else than its inspector (a manager cleaning up a round started by mistake)."""
        if self.filtered(lambda i: i.state != "draft"):
            raise UserError(self.env._("A submitted inspection is kept."))
        if self.filtered(lambda i: i._is_own()) and not self.env.user._is_superuser():
            raise UserError(
                self.env._("An inspector does not delete their own inspection.")
            )

    def _shift_groups(self):
        """The inspections grouped per day and shift, for the shift report."""
        lang = self.env.user.lang or ""
        groups = {}
        for inspection in self.sorted(lambda i: (i.date, i.shift_template_id.id or 0)):
            key = (inspection.date, inspection.shift_template_id)
            groups.setdefault(key, self.browse())
            groups[key] |= inspection
        return [
            {
                "date": jalali.format_local(day, lang),
                "shift": shift.name or "-",
                "inspections": inspections,
                "score": sum(inspections.mapped("score")) / len(inspections),
                "failed": sum(inspections.mapped("failed_count")),
            }
            for (day, shift), inspections in groups.items()
        ]

    def action_order_from_failed(self):
        """One action order per failed item without one yet (own rounds only:
        a competitor's failures order nothing in the mall)."""
        if self.filtered("competitor_id"):
            raise UserError(
                self.env._(
                    "A benchmark visit orders no action in the mall: a gap of the "
                    "competitor comparison raises an improvement action."
                )
            )
        Order = self.env["mgmtsystem.action"]
        lines = self.line_ids.filtered(lambda l: l.failed and not l.action_order_ids)
        return Order.create(
            [
                {
                    "crm_iso_origin": "qc",
                    "crm_mall_inspection_id": line.inspection_id.id,
                    "crm_mall_line_id": line.id,
                    "name": line.name,
                    "date_deadline": fields.Date.context_today(self)
                    + timedelta(days=3),
                }
                for line in lines
            ]
        )
