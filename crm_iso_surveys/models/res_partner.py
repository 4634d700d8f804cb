# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields, models
from odoo.tools import SQL

SEGMENTS = [
    ("champion", "Champion"),
    ("loyal", "Loyal"),
    ("at_risk", "At risk"),
    ("lost", "Lost"),
]
SURVEY_GROUP = "crm_iso_surveys.group_survey_analyst"
LOYALTY_CHUNK = 1000  # customers per loyalty refresh job


class ResPartner(models.Model):
    """Customer 360: last scores and a loyalty segment from surveys and complaints.

    A visitor may be a customer of several companies (malls) of the database:
    each figure is company-dependent, computed from that company's answers and
    complaints only, so one mall never sees another's.
    """

    _inherit = "res.partner"

    crm_iso_last_csat = fields.Float(
        string="Last CSAT", readonly=True, company_dependent=True, groups=SURVEY_GROUP
    )
    crm_iso_last_nps = fields.Float(
        string="Last NPS contribution",
        readonly=True,
        company_dependent=True,
        groups=SURVEY_GROUP,
    )
    crm_iso_nps_class = fields.Selection(
        [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor")],
        string="NPS class",
        readonly=True,
        company_dependent=True,
        groups=SURVEY_GROUP,
    )
    crm_iso_response_count = fields.Integer(
        string="Survey responses",
        readonly=True,
        company_dependent=True,
        groups=SURVEY_GROUP,
    )
    crm_iso_loyalty_segment = fields.Selection(
        SEGMENTS, string="Loyalty segment", readonly=True, company_dependent=True
    )
    crm_iso_at_risk = fields.Boolean(
        string="At risk", readonly=True, company_dependent=True
    )

    def _crm_iso_refresh_loyalty(self):
        """Recompute the 360 fields of these partners in the current company
        (``with_company``), from its answers and complaints: one query.

        Rules (company settings): at risk = at least N low scores within M days;
        lost = no survey answer nor complaint for L days; champion = last answer a
        promoter and no complaint within M days; loyal = the others who answered.
        """
        partners = self.filtered("id")
        if not partners:
            return
        company = self.env.company
        now = fields.Datetime.now()
        window = now - timedelta(days=company.crm_iso_at_risk_days)
        lost_before = now - timedelta(days=company.crm_iso_lost_days)
        self.env["survey.user_input"].flush_model()
        self.env["helpdesk.ticket"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id,
                       (SELECT count(*) FROM survey_user_input ui
                         WHERE ui.partner_id = p.id AND ui.state = 'done'
                           AND ui.crm_iso_company_id = %(company)s) AS answers,
                       (SELECT count(*) FROM survey_user_input ui
                         WHERE ui.partner_id = p.id AND ui.state = 'done'
                           AND ui.crm_iso_company_id = %(company)s
                           AND ui.crm_iso_low_score
                           AND ui.end_datetime >= %(window)s) AS low,
                       last.crm_iso_csat, last.crm_iso_nps, last.end_datetime,
                       (SELECT max(t.complaint_received_date) FROM helpdesk_ticket t
                         WHERE t.partner_id = p.id AND t.is_complaint
                           AND t.company_id = %(company)s) AS complained
                  FROM res_partner p
             LEFT JOIN LATERAL (
                       SELECT ui.crm_iso_csat, ui.crm_iso_nps, ui.end_datetime
                         FROM survey_user_input ui
                        WHERE ui.partner_id = p.id AND ui.state = 'done'
                          AND ui.crm_iso_company_id = %(company)s
                     ORDER BY ui.end_datetime DESC NULLS LAST, ui.id DESC LIMIT 1
                       ) last ON TRUE
                 WHERE p.id IN %(ids)s
                """,
                window=window,
                company=company.id,
                ids=tuple(partners.ids),
            )
        )
        for (
            pid,
            answers,
            low,
            csat,
            nps,
            answered,
            complained,
        ) in self.env.cr.fetchall():
            last_seen = max(filter(None, (answered, complained)), default=None)
            if low >= company.crm_iso_at_risk_low_count:
                segment = "at_risk"
            elif last_seen and last_seen < lost_before:
                segment = "lost"
            elif (
                nps is not None
                and nps > 0
                and not (complained and complained >= window)
            ):
                segment = "champion"
            elif answers:
                segment = "loyal"
            else:
                segment = False
            self.browse(pid).sudo().with_company(company).write(
                {
                    "crm_iso_response_count": answers,
                    "crm_iso_last_csat": csat or 0.0,
                    "crm_iso_last_nps": nps or 0.0,
                    "crm_iso_nps_class": nps is not None
                    and (
                        "promoter" if nps > 0 else "detractor" if nps < 0 else "passive"
                    ),
                    "crm_iso_loyalty_segment": segment,
                    "crm_iso_at_risk": segment == "at_risk",
                }
            )

    def _cron_crm_iso_refresh_loyalty(self):
        """Daily: segments age (lost, end of at-risk window) without new answers.

        One job per company and chunk of 1,000 customers (channel
        root.crm_iso.loyalty). A refresh recomputes the segments from the
        answers: running it again changes nothing.
        """
        self.env.cr.execute(
            SQL(
                "SELECT crm_iso_company_id, array_agg(DISTINCT partner_id) "
                "FROM survey_user_input WHERE state = 'done' "
                "AND partner_id IS NOT NULL AND crm_iso_company_id IS NOT NULL "
                "GROUP BY 1"
            )
        )
        Job = self.env["crm.iso.job"]
        for company_id, ids in self.env.cr.fetchall():
            partners = self.with_company(company_id)
            ids.sort()
            for start in range(0, len(ids), LOYALTY_CHUNK):
                chunk = ids[start : start + LOYALTY_CHUNK]
                Job._crm_iso_delay(
                    partners.browse(chunk),
                    channel="root.crm_iso.loyalty",
                    identity_key=f"crm_iso_surveys.loyalty:{company_id}:"
                    f"{chunk[0]}-{chunk[-1]}",
                    description=self.env._(
                        "Loyalty segments of %(count)s customers", count=len(chunk)
                    ),
                )._crm_iso_refresh_loyalty()
