# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import report_sql
from .crm_iso_dr_method import KINDS


class CrmIsoDisputeReport(models.Model):
    """Effectiveness of dispute resolution per provider and method (ISO 10003, 9)."""

    _name = "crm.iso.dispute.report"
    _description = "Dispute resolution effectiveness"
    _auto = False
    _rec_name = "dispute_id"

    dispute_id = fields.Many2one("crm.iso.dispute", readonly=True)
    provider_id = fields.Many2one("crm.iso.dr.provider", readonly=True)
    method_id = fields.Many2one("crm.iso.dr.method", readonly=True)
    method_kind = fields.Selection(KINDS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    submitted_date = fields.Date(readonly=True)
    nbr = fields.Integer(string="# Cases", readonly=True, aggregator="sum")
    duration_days = fields.Float(
        string="Duration (days, avg)", readonly=True, aggregator="avg"
    )
    settled_pct = fields.Float(string="% settled", readonly=True, aggregator="avg")
    implemented_on_time_pct = fields.Float(
        string="% implemented on time", readonly=True, aggregator="avg"
    )
    cost_amount = fields.Float(string="Cost per case", readonly=True, aggregator="avg")
    satisfaction = fields.Float(
        string="Customer satisfaction (1-5)", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT d.id, d.id AS dispute_id, d.provider_id, d.method_id,
                   d.method_kind, d.company_id, d.submitted_date, 1 AS nbr,
                   CASE WHEN d.outcome_date IS NOT NULL
                        THEN d.duration_days END AS duration_days,
                   CASE WHEN d.outcome_type IS NULL THEN NULL
                        WHEN d.outcome_type = 'settled' THEN 100.0
                        ELSE 0.0 END AS settled_pct,
                   CASE WHEN d.implementation_due_date IS NULL THEN NULL
                        WHEN d.implemented_on_time THEN 100.0
                        ELSE 0.0 END AS implemented_on_time_pct,
                   d.cost_amount,
                   d.customer_satisfaction::float AS satisfaction
              FROM crm_iso_dispute d
            """
        )

    @api.model
    @api.readonly
    def median_duration(self, domain=None):
        """{provider id: median days from submission to outcome} (one query)."""
        table, _key, from_, where = report_sql.grouped_query(
            self, list(domain or []) + [("duration_days", "!=", False)]
        )
        self.env.cr.execute(
            SQL(
                "SELECT %(t)s.provider_id, percentile_cont(0.5) WITHIN GROUP "
                "(ORDER BY %(t)s.duration_days) FROM %(from)s WHERE %(where)s "
                "GROUP BY 1",
                t=table,
                **{"from": from_, "where": where},
            )
        )
        return dict(self.env.cr.fetchall())
