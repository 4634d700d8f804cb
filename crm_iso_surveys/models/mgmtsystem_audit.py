# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The complainants' satisfaction with the complaints-handling process, as the
evidence of an ISO 10002 audit (ISO 10002 8.3; the map of question -> evidence
-> score: crm_iso_complaints/tools/audit_scoring.py)."""

from odoo import models

from odoo.addons.crm_iso_complaints.tools import audit_scoring


class MgmtsystemAudit(models.Model):
    _inherit = "mgmtsystem.audit"

    def _crm_iso_audit_evidence(self, date_from, date_to):
        """``process_satisfaction``: the CSAT of the period's answers to the
        surveys sent after a resolved complaint (crm.iso.satisfaction.report
        get_kpis)."""
        evidence = super()._crm_iso_audit_evidence(date_from, date_to)
        company = self.company_id or self.env.company
        start, end = self.env["mgmtsystem.review"]._crm_iso_bounds(
            date_from, date_to, company
        )
        kpis = (
            self.env["crm.iso.satisfaction.report"].get_kpis(
                [
                    ("company_id", "=", company.id),
                    ("complaint_id", "!=", False),
                    ("date", ">=", start),
                    ("date", "<", end),
                ]
            )
            or [{}]
        )[0]
        csat = kpis.get("csat")
        _ = self.env._
        evidence["process_satisfaction"] = (
            _(
                "%(responses)s complainants answered the survey after their "
                "complaint; CSAT %(csat).1f %%.",
                responses=kpis.get("responses", 0),
                csat=csat,
            )
            if csat is not None
            else _("No complainant answered a survey after a complaint in the period."),
            audit_scoring.share_score(csat),
        )
        return evidence
