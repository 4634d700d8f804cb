# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup
from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.tools import mute_logger

from .crm_mall_qc_item import ANSWER_TYPES

# repeated failures: this many failures of one item in one zone within the window
REPEAT_COUNT = 3
REPEAT_DAYS = 30
MANAGER_GROUP = "crm_mall_counter.group_mall_manager"
ANSWERS = "crm_mall_counter.page_category_answers"


class CrmMallQcInspectionLine(models.Model):
    _name = "crm.mall.qc.inspection.line"
    _description = "QC inspection answer"
    _order = "section, id"

    inspection_id = fields.Many2one(
        "crm.mall.qc.inspection", required=True, ondelete="cascade", index=True
    )
    state = fields.Selection(related="inspection_id.state")
    zone = fields.Char(related="inspection_id.zone", store=True)
    item_id = fields.Many2one("crm.mall.qc.item", index=True, ondelete="set null")
    section = fields.Char(readonly=True)
    name = fields.Char(readonly=True)
    answer_type = fields.Selection(ANSWER_TYPES, readonly=True)
    weight = fields.Float(readonly=True)
    mandatory = fields.Boolean(readonly=True)
    photo_required = fields.Boolean(readonly=True)
    number_min = fields.Float(readonly=True)
    number_max = fields.Float(readonly=True)
    value_yes_no = fields.Selection([("yes", "Yes"), ("no", "No")], string="Yes/no")
    value_rating = fields.Selection(
        [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")], string="Rating"
    )
    value_number = fields.Float(string="Number")
    number_given = fields.Boolean()
    value_text = fields.Text(string="Text")
    photo = fields.Image(max_width=1600, max_height=1600)
    note = fields.Text(
        help="A remark on the answer (a benchmark visit: what the competitor "
        "does); it may go to the answer library."
    )
    competitor_id = fields.Many2one(related="inspection_id.competitor_id")
    answer_page_ids = fields.One2many(
        "document.page", "crm_mall_source_line_id", string="Answer library page"
    )
    answered = fields.Boolean(compute="_compute_result", store=True)
    failed = fields.Boolean(compute="_compute_result", store=True, index=True)
    points = fields.Float(compute="_compute_result", store=True)
    max_points = fields.Float(compute="_compute_result", store=True)
    repeated_failure = fields.Boolean(readonly=True)
    action_order_ids = fields.One2many(
        "mgmtsystem.action", "crm_mall_line_id", string="Action orders"
    )

    @api.depends(
        "value_yes_no",
        "value_rating",
        "value_number",
        "number_given",
        "value_text",
        "photo",
        "weight",
        "answer_type",
    )
    def _compute_result(self):
        """The one scoring formula of the checklists, for the mall's own rounds
        and the benchmark visits of competitors alike: yes = full weight; rating
        r = weight x (r-1)/4 (failed at 1-2); a number within [min, max] = full
        weight; text and photo are not scored. A round's score
        (crm.mall.qc.inspection.score) and a criterion's score in a month
        (crm.mall.competitor.report) are the share of these points in their
        maximum."""
        for line in self:
            kind, weight = line.answer_type, line.weight
            answered, failed, points, maximum = False, False, 0.0, weight
            if kind == "yes_no":
                answered = bool(line.value_yes_no)
                failed = line.value_yes_no == "no"
                points = weight if line.value_yes_no == "yes" else 0.0
            elif kind == "rating":
                answered = bool(line.value_rating)
                rating = int(line.value_rating or 0)
                failed = answered and rating <= 2
                points = weight * (rating - 1) / 4 if answered else 0.0
            elif kind == "number":
                answered = line.number_given
                inside = line.number_min <= line.value_number <= line.number_max
                failed = answered and not inside
                points = weight if answered and inside else 0.0
            else:
                answered = bool(line.value_text if kind == "text" else line.photo)
                maximum = 0.0
            line.update(
                {
                    "answered": answered,
                    "failed": failed,
                    "points": points,
                    "max_points": maximum,
                }
            )

    def write(self, vals):
        if self.filtered(
            lambda l: (
                l.inspection_id.state not in ("draft", "returned")
                or l.inspection_id.inspector_id != self.env.user
            )
        ):
            raise UserError(
                self.env._(
                    "A submitted inspection is locked; a report in progress is "
                    "answered by its inspector."
                )
            )
        return super().write(vals)

    def action_crm_mall_add_to_library(self):
        """Put what benchmark visits learned into the counter answer library:
        a knowledge page (``document.page``) per line under the answers
        category, to be approved by a mall manager like any answer. One page per
        line (a UNIQUE index: pressing it again, or a retry, opens the page
        made)."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._("A mall manager adds to the counter answer library.")
            )
        if not self or self.filtered(
            lambda l: not l.competitor_id or l.state not in ("submitted", "approved")
        ):
            raise UserError(
                self.env._(
                    "Only what a submitted benchmark visit learned goes to the "
                    "answer library."
                )
            )
        if self.filtered(lambda l: not (l.note or "").strip()):
            raise UserError(
                self.env._("Write the note agents should say on the answer first.")
            )
        pages = (
            self.answer_page_ids
            | self.filtered(lambda l: not l.answer_page_ids)._crm_mall_create_pages()
        )
        title = self.env._("Answer library")
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "document.page",
            "domain": [("id", "in", pages.ids)],
            "res_id": pages.id if len(pages) == 1 else False,
            "view_mode": "form" if len(pages) == 1 else "list,form",
            "target": "current",
        }

    def _crm_mall_create_pages(self):
        parent = self.env.ref(ANSWERS)
        vals_list = []
        for line in self:
            inspection = line.inspection_id
            learned = self.env._(
                "Learned at %(competitor)s on %(date)s (%(visit)s).",
                competitor=inspection.competitor_id.name,
                date=inspection.date,
                visit=inspection.name,
            )
            vals_list.append(
                {
                    "name": line.name,
                    "type": "content",
                    "parent_id": parent.id,
                    "content": Markup("<p>%s</p><p><em>%s</em></p>")
                    % (line.note, learned),
                    "company_id": inspection.company_id.id,
                    "crm_mall_source_line_id": line.id,
                }
            )
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return self.env["document.page"].create(vals_list)
        except errors.UniqueViolation as error:
            raise ConcurrencyError(
                self.env._("This note was just added to the answer library.")
            ) from error

    def _flag_repeated_failures(self):
        """Flag an item failing REPEAT_COUNT times in its zone within REPEAT_DAYS
        (the mall's own rounds: a competitor's failures are not the mall's)."""
        failed = self.filtered(lambda l: l.failed and not l.competitor_id)
        if not failed:
            return
        since = fields.Date.context_today(self) - timedelta(days=REPEAT_DAYS)
        counts = {
            (item.id, zone): count
            for item, zone, count in self._read_group(
                [
                    ("item_id", "in", failed.item_id.ids),
                    ("failed", "=", True),
                    ("inspection_id.competitor_id", "=", False),
                    ("inspection_id.state", "!=", "draft"),
                    ("inspection_id.date", ">=", since),
                ],
                ["item_id", "zone"],
                ["__count"],
            )
        }
        repeated = failed.filtered(
            lambda l: counts.get((l.item_id.id, l.zone), 0) >= REPEAT_COUNT
        )
        if repeated:
            super(CrmMallQcInspectionLine, repeated).write({"repeated_failure": True})
