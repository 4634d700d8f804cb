# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The counter's answer library, kept as OCA knowledge pages.

Answers are ``document.page`` records under the "Mall counter answers" category
(``crm_mall_counter.page_category_answers``, sub-categories allowed): they get
document_page's categories, history of every revision and diff for free. The
suite adds what a counter needs: keywords visitors use, the counters an answer
is for, and an approval only mall managers give (agents read approved answers
only, see the record rules in security/crm_mall_counter_security.xml).
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_sanitize

MANAGER_GROUP = "crm_mall_counter.group_mall_manager"
# a change of these by someone who may not approve takes the approval back
REVIEWED_FIELDS = {"name", "content", "crm_mall_keywords", "parent_id"}


class DocumentPage(models.Model):
    _inherit = "document.page"
    _check_company_auto = True
    # counter staff find an answer by its question, the visitor's words or its text
    _rec_names_search = ["name", "crm_mall_keywords", "content"]

    crm_mall_library_root = fields.Boolean(
        string="Answer library root",
        readonly=True,
        copy=False,
        help="The category the counter answer library hangs from (set by data).",
    )
    crm_mall_library = fields.Boolean(
        string="Counter answer",
        compute="_compute_crm_mall_library",
        store=True,
        recursive=True,
        index=True,
        help="The page is under the Mall counter answers category.",
    )
    crm_mall_keywords = fields.Char(
        string="Keywords", help="Words visitors use for it, searched with the title."
    )
    crm_mall_counter_ids = fields.Many2many(
        "crm.mall.counter",
        string="Counters",
        check_company=True,
        help="The counters this answer is for; empty: every counter.",
    )
    crm_mall_source_line_id = fields.Many2one(
        "crm.mall.qc.inspection.line",
        string="Learned on the benchmark visit of",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The benchmark visit's answer this page was added from (Add to "
        "answer library); set when the page is made, never changed.",
    )
    crm_mall_approved = fields.Boolean(
        string="Approved",
        tracking=True,
        copy=False,
        help="Shown to counter staff. Only mall managers approve; a change by "
        "anyone else takes the approval back.",
    )

    _crm_mall_source_line_uniq = models.UniqueIndex(
        "(crm_mall_source_line_id) WHERE crm_mall_source_line_id IS NOT NULL",
        "This note is already in the answer library.",
    )

    @api.constrains("crm_mall_source_line_id", "company_id")
    def _check_crm_mall_source_line(self):
        for page in self.filtered("crm_mall_source_line_id"):
            visit = page.crm_mall_source_line_id.inspection_id
            if not visit.competitor_id or visit.company_id != page.company_id:
                raise ValidationError(
                    self.env._(
                        "A page learned on a benchmark visit comes from a visit of "
                        "its own company."
                    )
                )

    @api.depends("crm_mall_library_root", "parent_id.crm_mall_library")
    def _compute_crm_mall_library(self):
        for page in self:
            page.crm_mall_library = (
                page.crm_mall_library_root or page.parent_id.crm_mall_library
            )

    def _crm_mall_may_approve(self):
        # the real user (also under sudo()); the superuser loads the data
        user = self.env.user
        return user._is_superuser() or user.has_group(MANAGER_GROUP)

    @api.model
    def _crm_mall_sanitize(self, vals):
        """document_page stores content unsanitized; counter staff open the
        library's answers, so what goes into it is sanitized like any Html.
        Returns new values: the caller's dict stays as given."""
        if vals.get("content"):
            return {**vals, "content": html_sanitize(vals["content"])}
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        if not self._crm_mall_may_approve() and any(
            vals.get("crm_mall_approved") or vals.get("crm_mall_library_root")
            for vals in vals_list
        ):
            raise AccessError(self.env._("Only mall managers approve counter answers."))
        Page = self.sudo()
        vals_list = [
            self._crm_mall_sanitize(vals)
            if Page.browse(vals.get("parent_id") or []).crm_mall_library
            else vals
            for vals in vals_list
        ]
        return super().create(vals_list)

    def write(self, vals):
        if "crm_mall_source_line_id" in vals:
            raise UserError(
                self.env._(
                    "The benchmark visit a page was learned on is set when it is "
                    "added to the library, never changed."
                )
            )
        if "content" in vals and any(self.sudo().mapped("crm_mall_library")):
            vals = self._crm_mall_sanitize(vals)
        if self._crm_mall_may_approve():
            return super().write(vals)
        if "crm_mall_approved" in vals or "crm_mall_library_root" in vals:
            raise AccessError(self.env._("Only mall managers approve counter answers."))
        approved = self.filtered(lambda p: p.crm_mall_library and p.crm_mall_approved)
        result = super().write(vals)
        if approved and REVIEWED_FIELDS & set(vals):
            # taking the approval back is this write's own consequence, not an
            # approval: past the check above, which tests the real user
            super(DocumentPage, approved.sudo()).write({"crm_mall_approved": False})
        return result

    def action_crm_mall_approve(self):
        """Publish the answers to counter staff (mall managers only)."""
        if not self._crm_mall_may_approve():
            raise AccessError(self.env._("Only mall managers approve counter answers."))
        self.filtered("crm_mall_library").crm_mall_approved = True
        return True
