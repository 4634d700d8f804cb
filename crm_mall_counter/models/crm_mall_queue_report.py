# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from .crm_mall_visit import VISIT_STATES


class CrmMallQueueReport(models.Model):
    """The queue's KPIs in a pivot and a graph: one row per counter visit.

    Its averages are those of ``crm.mall.visit._queue_figures`` (which also
    gives the 90th percentiles, shown on the counter board and the cockpit):
    a wait counts once the visitor is called, a service once it ended; the
    no-show and within-level rates are averages of 100/0 flags over the same
    visits as there, empty (not 0) for the visits they do not measure.
    """

    _name = "crm.mall.queue.report"
    _description = "Queue analysis"
    _auto = False
    _order = "checkin_date desc"

    visit_id = fields.Many2one("crm.mall.visit", readonly=True)
    counter_id = fields.Many2one("crm.mall.counter", readonly=True)
    shift_id = fields.Many2one("crm.mall.shift", readonly=True)
    agent_id = fields.Many2one("res.users", readonly=True)
    service_id = fields.Many2one("crm.mall.queue.service", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    checkin_date = fields.Datetime(string="Arrival", readonly=True)
    queue_date = fields.Date(string="Day", readonly=True)
    priority = fields.Boolean(readonly=True)
    queue_origin = fields.Selection(
        [("walk_in", "Walk-in"), ("remote", "On the phone")],
        string="Number taken",
        readonly=True,
    )
    state = fields.Selection(VISIT_STATES, readonly=True)
    wait_minutes = fields.Float(string="Wait (min)", readonly=True, aggregator="avg")
    service_minutes = fields.Float(
        string="Service time (min)", readonly=True, aggregator="avg"
    )
    no_show_rate = fields.Float(string="No-shows %", readonly=True, aggregator="avg")
    within_level = fields.Float(
        string="Within service level %", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT v.id, v.id AS visit_id, v.counter_id, v.shift_id, v.agent_id,
                   v.service_id, v.company_id, v.checkin_date, v.queue_date,
                   v.priority, v.queue_origin, v.state,
                   CASE WHEN v.call_time IS NOT NULL THEN v.wait_minutes END
                       AS wait_minutes,
                   CASE WHEN v.service_end IS NOT NULL THEN v.service_minutes END
                       AS service_minutes,
                   CASE WHEN v.call_time IS NULL THEN NULL
                        WHEN v.state = 'no_show' THEN 100.0 ELSE 0.0 END
                       AS no_show_rate,
                   CASE WHEN v.call_time IS NULL OR v.state = 'no_show' THEN NULL
                        WHEN v.within_service_level THEN 100.0 ELSE 0.0 END
                       AS within_level
              FROM crm_mall_visit v
             WHERE v.channel = 'counter'
            """
        )
