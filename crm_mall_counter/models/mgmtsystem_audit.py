# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The competence of the people handling complaints at the counters, as the
evidence of an ISO 10002 audit (ISO 10002 6.4; the map of question -> evidence
-> score: crm_iso_complaints/tools/audit_scoring.py)."""

from odoo import models

from odoo.addons.crm_iso_complaints.tools import audit_scoring


class MgmtsystemAudit(models.Model):
    _inherit = "mgmtsystem.audit"

    def _crm_iso_audit_evidence(self, date_from, date_to):
        """``competence_coverage``: the share of the period's counter shifts
        staffed by certified people (crm.mall.competence._crm_mall_shift_share,
        the figure of the cockpit and the management review)."""
        evidence = super()._crm_iso_audit_evidence(date_from, date_to)
        company = self.company_id or self.env.company
        shifts, certified = self.env["crm.mall.competence"]._crm_mall_shift_share(
            self.env["crm.mall.shift"].search(
                [
                    ("company_id", "=", company.id),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ]
            )
        )
        _ = self.env._
        evidence["competence_coverage"] = (
            _(
                "%(certified)s of the %(shifts)s counter shifts of the period were "
                "staffed by people holding a valid training for their role.",
                certified=certified,
                shifts=shifts,
            )
            if shifts
            else _("No counter shift in the period."),
            audit_scoring.share_score(100.0 * certified / shifts if shifts else None),
        )
        return evidence
