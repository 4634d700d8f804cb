# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_iso_complaints.tools import report_sql

from ..tools import metrics
from .res_partner import SEGMENTS
from .survey_user_input import CHANNELS

PERIODS = ("day", "week", "month", "quarter", "year")
GROUPABLE = ("many2one", "selection")


class CrmIsoSatisfactionReport(models.Model):
    """One row per survey response (sent or answered) with its metrics.

    In pivot and graph views the averages are the KPIs: CSAT % (avg of 100/0),
    NPS (avg of +100/0/-100), CES, index, response rate (avg of 100/0 over sent
    surveys). :meth:`get_kpis` adds sample sizes, confidence intervals, the
    small-sample flag, targets and the trend, in one SQL query.
    """

    _name = "crm.iso.satisfaction.report"
    _description = "Satisfaction KPIs"
    _auto = False
    _order = "date desc"

    response_id = fields.Many2one("survey.user_input", readonly=True)
    survey_id = fields.Many2one("survey.survey", readonly=True)
    plan_id = fields.Many2one("crm.iso.measurement.plan", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    complaint_id = fields.Many2one("helpdesk.ticket", readonly=True)
    crm_iso_touchpoint_id = fields.Many2one(
        "crm.iso.touchpoint", string="Touchpoint", readonly=True
    )
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    segment = fields.Selection(SEGMENTS, string="Loyalty segment", readonly=True)
    date = fields.Datetime(readonly=True)
    done = fields.Boolean(string="Answered", readonly=True)
    nbr = fields.Integer(string="# Responses", readonly=True, aggregator="sum")
    response_rate = fields.Float(string="Response rate %", aggregator="avg")
    csat = fields.Float(string="CSAT %", readonly=True, aggregator="avg")
    nps = fields.Float(string="NPS", readonly=True, aggregator="avg")
    ces = fields.Float(string="CES", readonly=True, aggregator="avg")
    satisfaction_index = fields.Float(string="Index", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT ui.id, ui.id AS response_id, ui.survey_id,
                   ui.crm_iso_plan_id AS plan_id, ui.partner_id,
                   ui.crm_iso_complaint_id AS complaint_id,
                   ui.crm_iso_touchpoint_id AS crm_iso_touchpoint_id,
                   ui.crm_iso_team_id AS team_id, ui.crm_iso_channel AS channel,
                   COALESCE(ui.crm_iso_company_id, p.company_id, t.company_id)
                       AS company_id,
                   rp.crm_iso_loyalty_segment ->> COALESCE(
                       ui.crm_iso_company_id, p.company_id, t.company_id
                   )::text AS segment,
                   COALESCE(ui.end_datetime, ui.create_date) AS date,
                   ui.state = 'done' AS done,
                   CASE WHEN ui.state = 'done' THEN 1 ELSE 0 END AS nbr,
                   CASE WHEN ui.state = 'done' THEN 100.0 ELSE 0.0 END
                        AS response_rate,
                   ui.crm_iso_csat AS csat, ui.crm_iso_nps AS nps,
                   ui.crm_iso_ces AS ces, ui.crm_iso_index AS satisfaction_index
              FROM survey_user_input ui
         LEFT JOIN crm_iso_measurement_plan p ON p.id = ui.crm_iso_plan_id
         LEFT JOIN helpdesk_ticket t ON t.id = ui.crm_iso_complaint_id
         LEFT JOIN res_partner rp ON rp.id = ui.partner_id
             WHERE NOT COALESCE(ui.test_entry, FALSE)
            """
        )

    @api.model
    @api.readonly
    def get_kpis(self, domain=None, groupby=None):
        """KPIs per group (a column of this report or a period), one query.

        Each row: key, sent, responses, response_rate, csat (with n, interval),
        nps (with n, promoters, detractors, interval), ces, index, small_sample,
        and for periods the change against the previous row (trend).
        """
        allowed = {
            *PERIODS,
            *(name for name, f in self._fields.items() if f.type in GROUPABLE),
        }
        report_sql.check_groupby(self, groupby, allowed)
        t, key, from_, where = report_sql.grouped_query(
            self, domain, groupby, "date", PERIODS
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT %(key)s, count(*), count(*) FILTER (WHERE %(t)s.done),
                       count(%(t)s.csat), COALESCE(sum(%(t)s.csat), 0) / 100.0,
                       count(%(t)s.nps),
                       COALESCE(sum(%(t)s.nps) FILTER (WHERE %(t)s.nps > 0), 0)
                           / 100.0,
                       COALESCE(-sum(%(t)s.nps) FILTER (WHERE %(t)s.nps < 0), 0)
                           / 100.0,
                       avg(%(t)s.ces), avg(%(t)s.satisfaction_index)
                  FROM %(from)s WHERE %(where)s GROUP BY 1 ORDER BY 1
                """,
                key=key,
                t=t,
                **{"from": from_, "where": where},
            )
        )
        fetched = self.env.cr.fetchall()
        # read after fetching: a cache miss here runs a query on the same cursor
        minimum = self.env.company.crm_iso_min_sample_size
        rows, previous = [], None
        for (
            key_value,
            sent,
            done,
            n_csat,
            satisfied,
            n_nps,
            prom,
            detr,
            ces,
            idx,
        ) in fetched:
            row = {
                "key": key_value,
                "sent": sent,
                "responses": done,
                "response_rate": 100.0 * done / sent if sent else None,
                "csat": metrics.csat_pct(satisfied, n_csat),
                "csat_n": n_csat,
                "csat_interval": metrics.wilson_interval(satisfied, n_csat),
                "nps": metrics.nps(prom, detr, n_nps),
                "nps_n": n_nps,
                "promoters": prom,
                "detractors": detr,
                "nps_interval": metrics.nps_interval(prom, detr, n_nps),
                "ces": ces,
                "index": idx,
                "small_sample": done < minimum,
            }
            if groupby in PERIODS and previous:
                row["trend"] = {
                    kpi: row[kpi] - previous[kpi]
                    for kpi in ("csat", "nps", "ces", "index")
                    if row[kpi] is not None and previous[kpi] is not None
                }
            rows.append(row)
            previous = row
        return rows
