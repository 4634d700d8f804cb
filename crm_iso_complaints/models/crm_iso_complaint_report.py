# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import formulas, report_sql


class CrmIsoComplaintReport(models.Model):
    """One row per complaint with its KPI measures, for pivot and graph views.

    Averages of the 0/100 columns are percentages: "% acknowledged in time",
    "% resolved in time", "reopen rate". Working hours come from the transitions
    (see tools/working_time.py). Medians: :meth:`get_kpis`.
    """

    _name = "crm.iso.complaint.report"
    _description = "Complaint KPIs"
    _auto = False
    _order = "complaint_received_date desc"
    _rec_name = "complaint_ref"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    complaint_ref = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    channel_id = fields.Many2one("helpdesk.ticket.channel", readonly=True)
    crm_iso_touchpoint_id = fields.Many2one(
        "crm.iso.touchpoint", string="Touchpoint", readonly=True
    )
    partner_id = fields.Many2one("res.partner", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned user", readonly=True)
    complaint_state = fields.Selection(formulas.STATES, readonly=True)
    severity = fields.Selection(formulas.SEVERITIES, readonly=True)
    complaint_received_date = fields.Datetime(string="Received Date", readonly=True)
    closed_date = fields.Datetime(readonly=True)
    nbr = fields.Integer(string="# Complaints", readonly=True, aggregator="sum")
    complaint_ack_work_hours = fields.Float(
        string="Hours to acknowledge (avg)", readonly=True, aggregator="avg"
    )
    complaint_resolve_work_hours = fields.Float(
        string="Hours to resolve (avg)", readonly=True, aggregator="avg"
    )
    ack_in_time_pct = fields.Float(
        string="% acknowledged in time", readonly=True, aggregator="avg"
    )
    resolve_in_time_pct = fields.Float(
        string="% resolved in time", readonly=True, aggregator="avg"
    )
    reopened_pct = fields.Float(string="Reopen rate %", readonly=True, aggregator="avg")
    complaint_paused_work_hours = fields.Float(
        string="Working hours paused (avg)", readonly=True, aggregator="avg"
    )
    escalation_level = fields.Integer(
        string="Escalation level (max)", readonly=True, aggregator="max"
    )
    is_open = fields.Boolean(readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.complaint_ref,
                   t.company_id,
                   t.team_id,
                   t.category_id,
                   t.channel_id,
                   t.crm_iso_touchpoint_id,
                   t.partner_id,
                   t.user_id,
                   t.complaint_state,
                   t.complaint_severity AS severity,
                   t.complaint_received_date,
                   t.complaint_closed_date AS closed_date,
                   1 AS nbr,
                   CASE WHEN t.complaint_acknowledged_date IS NOT NULL
                        THEN t.complaint_ack_work_hours END AS complaint_ack_work_hours,
                   CASE WHEN t.complaint_closed_date IS NOT NULL
                        THEN t.complaint_resolve_work_hours END
                        AS complaint_resolve_work_hours,
                   CASE WHEN t.complaint_acknowledged_date IS NULL THEN NULL
                        WHEN t.complaint_ack_on_time THEN 100.0 ELSE 0.0 END
                        AS ack_in_time_pct,
                   CASE WHEN t.complaint_closed_date IS NULL THEN NULL
                        WHEN t.complaint_resolve_on_time THEN 100.0 ELSE 0.0 END
                        AS resolve_in_time_pct,
                   CASE WHEN t.complaint_reopen_count > 0 THEN 100.0 ELSE 0.0 END
                        AS reopened_pct,
                   t.complaint_paused_work_hours,
                   t.complaint_escalation_level AS escalation_level,
                   t.complaint_state NOT IN %s AS is_open
              FROM helpdesk_ticket t
             WHERE t.is_complaint AND t.active
            """,
            formulas.FINAL_STATES,
        )

    @api.model
    @api.readonly
    def get_kpis(self, domain=None, groupby=None):
        """Counts, averages, medians and rates per group, in one SQL query.

        ``groupby`` is a column of this report (``category_id``, ``team_id``,
        ``channel_id``, ``crm_iso_touchpoint_id``...) or ``month``; record rules apply.
        Returns a list of dicts, one per group.
        """
        allowed = {
            "month",
            "category_id",
            "team_id",
            "channel_id",
            "crm_iso_touchpoint_id",
            "company_id",
            "severity",
        }
        report_sql.check_groupby(self, groupby, allowed)
        table, key, from_, where = report_sql.grouped_query(
            self, domain, groupby, "complaint_received_date", ("month",)
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT %(key)s AS key,
                       count(*) AS count,
                       avg(%(t)s.complaint_ack_work_hours) AS ack_avg,
                       percentile_cont(0.5) WITHIN GROUP
                           (ORDER BY %(t)s.complaint_ack_work_hours) AS ack_median,
                       avg(%(t)s.complaint_resolve_work_hours) AS resolve_avg,
                       percentile_cont(0.5) WITHIN GROUP
                           (ORDER BY %(t)s.complaint_resolve_work_hours)
                           AS resolve_median,
                       avg(%(t)s.ack_in_time_pct) AS ack_in_time_pct,
                       avg(%(t)s.resolve_in_time_pct) AS resolve_in_time_pct,
                       avg(%(t)s.reopened_pct) AS reopened_pct
                  FROM %(from)s
                 WHERE %(where)s
              GROUP BY 1
              ORDER BY 1
                """,
                key=key,
                t=table,
                **{"from": from_, "where": where},
            )
        )
        return self.env.cr.dictfetchall()
