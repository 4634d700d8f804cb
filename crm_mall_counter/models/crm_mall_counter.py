# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.crm_iso_complaints.tools import clock

__all__ = ["HOME_ACTIONS"]

# The first screen of the Mall CRM app for each role, the first that matches.
HOME_ACTIONS = (
    ("group_mall_manager", "action_crm_mall_cockpit"),
    ("group_counter_supervisor", "action_crm_mall_counter_board"),
    ("group_counter_agent", "action_crm_mall_checkin_screen"),
    ("group_call_centre_agent", "action_crm_mall_call"),
    ("group_office_reviewer", "action_crm_mall_review_queue"),
    ("group_qc_inspector", "action_crm_mall_qc_inspections"),
    ("group_action_staff", "action_crm_mall_qc_action_orders"),
)


class CrmMallCounter(models.Model):
    """A customer-relations service counter of the mall."""

    _name = "crm.mall.counter"
    _description = "Service counter"
    _inherit = ["mail.thread"]
    _order = "sequence, code"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    floor = fields.Char()
    zone = fields.Char(index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)
    team_ids = fields.Many2many(
        "helpdesk.ticket.team",
        string="Teams fed",
        check_company=True,
        help="Teams receiving its subjects.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening hours",
        check_company=True,
        compute="_compute_calendar_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    supervisor_ids = fields.Many2many(
        "res.users",
        "crm_mall_counter_supervisor_rel",
        "counter_id",
        "user_id",
        string="Supervisors",
        check_company=True,
    )
    shift_ids = fields.One2many("crm.mall.shift", "counter_id")
    visit_ids = fields.One2many("crm.mall.visit", "counter_id")
    # board figures for today (counts by read_group, no query per counter)
    visits_today = fields.Integer(compute="_compute_board")
    waiting_today = fields.Integer(compute="_compute_board")
    subjects_today = fields.Integer(compute="_compute_board")
    complaints_today = fields.Integer(compute="_compute_board")
    review_backlog = fields.Integer(compute="_compute_board")
    # today's queue (crm.mall.visit._queue_figures): minutes and percentages
    avg_wait_today = fields.Float(string="Average wait", compute="_compute_board")
    p90_wait_today = fields.Float(string="90% waited at most", compute="_compute_board")
    no_show_rate_today = fields.Float(string="No-shows %", compute="_compute_board")
    within_level_today = fields.Float(
        string="Within service level %", compute="_compute_board"
    )
    service_level_minutes = fields.Integer(
        default=10,
        help="A visitor called within these minutes of arriving is served "
        "within the counter's service level.",
    )

    @api.depends("company_id")
    def _compute_calendar_id(self):
        """The opening hours of the counter's company, until set by hand."""
        for counter in self:
            company = counter.calendar_id.company_id
            if not counter.calendar_id or company and company != counter.company_id:
                counter.calendar_id = counter.company_id.resource_calendar_id

    _code_uniq = models.Constraint(
        "UNIQUE (code, company_id)", "A counter code must be unique per company."
    )

    def _crm_iso_tz(self):
        """The counter's time zone (``clock.record_tz``): its opening hours',
        else its company's. Every time shown for the counter uses it."""
        self.ensure_one()
        return self.calendar_id.tz or clock.company_tz(self.company_id)

    @api.depends_context("uid")
    def _compute_board(self):
        """Today's figures, "today" from midnight in each counter's time zone."""
        by_start = defaultdict(lambda: self.browse())
        for counter in self:
            by_start[clock.day_start(clock.record_tz(counter))[1]] |= counter
        visits, subjects, complaints, queue = {}, {}, {}, {}
        for start, counters in by_start.items():
            counters._board_today(start, visits, subjects, complaints, queue)
        mine = Domain("counter_id", "in", self.ids)
        Visit = self.env["crm.mall.visit"].sudo()
        Subject = self.env["crm.mall.subject"].sudo()
        waiting = dict(
            Visit._read_group(
                mine & Domain("state", "=", "waiting"), ["counter_id"], ["__count"]
            )
        )
        backlog = dict(
            Subject._read_group(
                mine & Domain("state", "=", "new"), ["counter_id"], ["__count"]
            )
        )
        for counter in self:
            counter.visits_today = visits.get(counter, 0)
            counter.waiting_today = waiting.get(counter, 0)
            counter.subjects_today = subjects.get(counter, 0)
            counter.complaints_today = complaints.get(counter, 0)
            counter.review_backlog = backlog.get(counter, 0)
            figures = queue.get(counter, {})
            counter.avg_wait_today = figures.get("avg_wait", 0.0)
            counter.p90_wait_today = figures.get("p90_wait", 0.0)
            counter.no_show_rate_today = figures.get("no_show_rate", 0.0)
            counter.within_level_today = figures.get("within_level", 0.0)

    def _board_today(self, start, visits, subjects, complaints, queue):
        """Fill the counts and queue figures since ``start`` (UTC) of these
        counters."""
        mine = Domain("counter_id", "in", self.ids)
        Visit = self.env["crm.mall.visit"].sudo()
        queue.update(
            (row["counter_id"], row)
            for row in Visit._queue_figures(
                mine & Domain("checkin_date", ">=", start), ["counter_id"]
            )
        )
        Subject = self.env["crm.mall.subject"].sudo()
        visits.update(
            Visit._read_group(
                mine & Domain("checkin_date", ">=", start), ["counter_id"], ["__count"]
            )
        )
        # a subject counts on the day of its visit (the event), not the day
        # its row was written (an import, a late entry, the demo)
        for counter, kind, count in Subject._read_group(
            mine & Domain("visit_id.checkin_date", ">=", start),
            ["counter_id", "subject_type"],
            ["__count"],
        ):
            subjects[counter] = subjects.get(counter, 0) + count
            if kind == "complaint":
                complaints[counter] = count

    # ------------------------------------------------------------ the queue
    def action_call_next(self):
        """Call the next visitor waiting at this counter, for the caller on shift
        here: the first of today's queue as the check-in screen lists it
        (``crm.mall.visit._queue_waiting``: priority visitors first, then the
        oldest arrival).

        The row is locked ``FOR UPDATE SKIP LOCKED``: two agents calling at the
        same moment never call the same visitor, the second gets the next one
        (or, when the first committed after the second began, the second's
        request runs again: ``_queue_lock``).
        """
        self.ensure_one()
        Visit = self.env["crm.mall.visit"]
        shift = self.env["crm.mall.shift"]._current()
        if shift.counter_id != self:
            raise UserError(
                self.env._(
                    "You have no open shift at %(counter)s: only the agent on "
                    "shift there calls its visitors.",
                    counter=self.display_name,
                )
            )
        domain, order = Visit._queue_waiting(self)
        query = Visit._search(domain, order=order, limit=1)
        ids = Visit._queue_lock(
            SQL(
                "%s FOR UPDATE OF %s SKIP LOCKED",
                query.select(),
                SQL.identifier(query.table),
            )
        )
        if not ids:
            raise UserError(
                self.env._(
                    "Nobody is waiting at %(counter)s.", counter=self.display_name
                )
            )
        visit = Visit.browse(ids)
        visit.action_call()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("%(number)s called", number=visit.queue_number),
                "message": visit.partner_id.display_name,
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": "crm.mall.visit",
                    "res_id": visit.id,
                    "views": [(False, "form")],
                    "target": "current",
                },
            },
        }

    @api.model
    def _crm_mall_home_action_id(self, user):
        """The id of the screen ``user`` lands on after login when they chose
        none (``res.users.action_id``): their role's in ``HOME_ACTIONS``, for
        the unit's staff; None for others (administrators included)."""
        if user._is_public() or user.has_group("base.group_system"):
            return None
        for group, action in HOME_ACTIONS:
            if user.has_group(f"crm_mall_counter.{group}"):
                return self.env.ref(f"crm_mall_counter.{action}").id
        return None

    @api.model
    def action_mall_home(self):
        """What the app icon opens: the cockpit for managers, check-in at the
        counter, the review queue for reviewers... (``HOME_ACTIONS``)."""
        for group, action in HOME_ACTIONS:
            if self.env.user.has_group(f"crm_mall_counter.{group}"):
                return self.env["ir.actions.actions"]._for_xml_id(
                    f"crm_mall_counter.{action}"
                )
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_mall_counter.action_crm_mall_visits"
        )

    # ------------------------------------------------------------ demo data
    @api.model
    def _crm_demo_allowed(self):
        """Whether demo data is being loaded: the module's demo is installed, or
        the module is being installed in a database that has demo data (Odoo
        sets the module's own flag only after its demo files are loaded)."""
        Module = self.env["ir.module.module"].sudo()
        module = Module.search([("name", "=", "crm_mall_counter")], limit=1)
        base = Module.search([("name", "=", "base")], limit=1)
        return bool(module.demo or (module.state == "to install" and base.demo))

    @api.model
    def _crm_demo_generate(self):
        """Demo data only: the ``<function>`` of demo/crm_mall_counter_demo.xml.

        Private (no RPC reaches it) and refused outside demo loading: the
        generator creates users whose password is their login. It is plain
        Python in demo/generator.py, imported here only, so a production
        registry has no demo model at all."""
        if not self._crm_demo_allowed():
            raise UserError(
                self.env._("Mall demo data is only generated in a demo database.")
            )
        from ..demo import generator

        generator.generate(self.env)

    @api.model
    def _crm_demo_plan_shifts(self):
        """Demo data only: the demo agents' shifts of the coming days (the
        demo's cron), so that a demo started any day has its agents on shift."""
        if not self._crm_demo_allowed():
            return False
        from ..demo import generator

        generator.plan_shifts(self.env)
        return True
