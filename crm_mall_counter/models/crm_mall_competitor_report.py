# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.tools import SQL, mute_logger

from odoo.addons.crm_iso_complaints.tools import jalali

MANAGER_GROUP = "crm_mall_counter.group_mall_manager"
#: days an improvement action raised from a gap is due in
GAP_ACTION_DAYS = 30


class CrmMallCompetitorReport(models.Model):
    """The competitor comparison: one row per competitor, criterion and month.

    A criterion is a checklist item (``crm.mall.qc.item``) that the mall's own
    rounds and the benchmark visits both answer. Its score in a month is the
    share of the points its answers got in their maximum, in percent, over the
    submitted and approved rounds of the month: the points of an answer are
    ``crm.mall.qc.inspection.line._compute_result`` (the one scoring formula of
    the checklists) and the share is the one of ``crm.mall.qc.inspection.score``,
    taken per criterion instead of per round. ``own_score`` is the mall's own
    score on the same criterion and month (empty without an own round), ``gap``
    the competitor's score minus it (positive: the competitor is better);
    ``is_gap`` says the gap is above the company's threshold
    (``res.company.crm_mall_competitor_gap``).
    """

    _name = "crm.mall.competitor.report"
    _description = "Competitor comparison"
    _auto = False
    _order = "period desc, gap desc, id"
    # what the query reads: a search flushes it first
    _depends = {
        "crm.mall.qc.inspection": ["company_id", "competitor_id", "date", "state"],
        "crm.mall.qc.inspection.line": [
            "inspection_id",
            "item_id",
            "points",
            "max_points",
        ],
        "crm.mall.qc.item": ["template_id"],
        "res.company": ["crm_mall_competitor_gap"],
        "mgmtsystem.action": [
            "crm_iso_origin",
            "crm_mall_competitor_id",
            "crm_mall_criterion_id",
            "crm_mall_period",
        ],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    competitor_id = fields.Many2one("crm.mall.competitor", readonly=True)
    item_id = fields.Many2one("crm.mall.qc.item", string="Criterion", readonly=True)
    template_id = fields.Many2one(
        "crm.mall.qc.template", string="Checklist", readonly=True
    )
    section = fields.Char(related="item_id.section")
    period = fields.Date(string="Month", readonly=True)
    score = fields.Float(string="Competitor score %", readonly=True, aggregator="avg")
    own_score = fields.Float(string="Our score %", readonly=True, aggregator="avg")
    gap = fields.Float(
        string="Gap (points)",
        readonly=True,
        aggregator="avg",
        help="The competitor's score minus ours: positive when they do better.",
    )
    visits = fields.Integer(string="Benchmark visits", readonly=True)
    own_rounds = fields.Integer(string="Own rounds", readonly=True)
    is_gap = fields.Boolean(string="Gap over the threshold", readonly=True)
    action_id = fields.Many2one(
        "mgmtsystem.action", string="Improvement action", readonly=True
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH answers AS (
                SELECT i.company_id, i.competitor_id, l.item_id,
                       date_trunc('month', i.date)::date AS period,
                       MIN(l.id) AS id,
                       SUM(l.points) AS points,
                       SUM(l.max_points) AS max_points,
                       COUNT(DISTINCT i.id) AS rounds
                  FROM crm_mall_qc_inspection_line l
                  JOIN crm_mall_qc_inspection i ON i.id = l.inspection_id
                 WHERE i.state IN ('submitted', 'approved')
                   AND l.item_id IS NOT NULL
                   AND l.max_points > 0
              GROUP BY i.company_id, i.competitor_id, l.item_id,
                       date_trunc('month', i.date)
            ), scores AS (
                SELECT c.id, c.company_id, c.competitor_id, c.item_id, c.period,
                       c.rounds AS visits, o.rounds AS own_rounds,
                       100.0 * c.points / c.max_points AS score,
                       100.0 * o.points / o.max_points AS own_score
                  FROM answers c
             LEFT JOIN answers o
                    ON o.competitor_id IS NULL
                   AND o.company_id = c.company_id
                   AND o.item_id = c.item_id
                   AND o.period = c.period
                 WHERE c.competitor_id IS NOT NULL
            )
            SELECT s.id, s.company_id, s.competitor_id, s.item_id,
                   item.template_id, s.period, s.visits,
                   s.own_rounds, s.score, s.own_score,
                   s.score - s.own_score AS gap,
                   COALESCE(s.score - s.own_score > company.crm_mall_competitor_gap,
                            FALSE) AS is_gap,
                   action.id AS action_id
              FROM scores s
              JOIN crm_mall_qc_item item ON item.id = s.item_id
              JOIN res_company company ON company.id = s.company_id
         LEFT JOIN mgmtsystem_action action
                ON action.crm_iso_origin = 'competitor'
               AND action.crm_mall_competitor_id = s.competitor_id
               AND action.crm_mall_criterion_id = s.item_id
               AND action.crm_mall_period = s.period
            """
        )

    def action_raise_gap_actions(self):
        """An improvement action (``mgmtsystem.action``, origin "competitor")
        for each of these rows whose gap is above the threshold and has none:
        one per competitor, criterion and month, whoever presses it and however
        often (the UNIQUE index of the action makes a concurrent or retried
        raise find the one made). Returns the list of the gaps' actions."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._("A mall manager raises the competitor review's actions.")
            )
        gaps = self.filtered("is_gap")
        if not gaps:
            raise UserError(
                self.env._(
                    "No gap above the threshold (Settings, competitor review) "
                    "among these rows."
                )
            )
        new = gaps.filtered(lambda row: not row.action_id)
        due = fields.Date.context_today(self) + relativedelta(days=GAP_ACTION_DAYS)
        _ = self.env._
        vals_list = [
            {
                "name": _(
                    "Catch up with %(competitor)s: %(criterion)s",
                    competitor=row.competitor_id.name,
                    criterion=row.item_id.name,
                ),
                "crm_iso_origin": "competitor",
                "crm_mall_competitor_id": row.competitor_id.id,
                "crm_mall_criterion_id": row.item_id.id,
                "crm_mall_period": row.period,
                "company_id": row.company_id.id,
                "date_deadline": due,
                "description": _(
                    "%(month)s: %(competitor)s scored %(score).1f%% on "
                    "%(criterion)s, we scored %(own).1f%% (gap %(gap).1f points).",
                    month=jalali.format_local(row.period, self.env.user.lang),
                    competitor=row.competitor_id.name,
                    criterion=row.item_id.name,
                    score=row.score,
                    own=row.own_score,
                    gap=row.gap,
                ),
            }
            for row in new
        ]
        created = self._crm_mall_create_actions(vals_list)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_mall_counter.action_crm_mall_competitor_actions"
        )
        action["domain"] = [("id", "in", (gaps.action_id | created).ids)]
        return action

    def _crm_mall_create_actions(self, vals_list):
        """Create the gaps' actions; another request that raised one of them
        first (the UNIQUE index) makes this one a ConcurrencyError, which Odoo
        retries: the retry reads the rows afresh and finds the action."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                created = self.env["mgmtsystem.action"].create(vals_list)
        except errors.UniqueViolation as error:
            raise ConcurrencyError(
                self.env._("These gaps' improvement actions were just raised.")
            ) from error
        self.invalidate_model(["action_id"])  # the view's join sees them now
        return created
