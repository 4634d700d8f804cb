# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..tools import formulas

COMPLAINT_GROUP = "crm_iso_complaints.group_complaint_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_count = fields.Integer(
        compute="_compute_complaint_stats", groups=COMPLAINT_GROUP
    )
    open_complaint_count = fields.Integer(
        compute="_compute_complaint_stats", groups=COMPLAINT_GROUP
    )
    last_complaint_date = fields.Datetime(
        compute="_compute_complaint_stats", groups=COMPLAINT_GROUP
    )
    is_repeat_complainant = fields.Boolean(
        compute="_compute_complaint_stats",
        search="_search_is_repeat_complainant",
        groups=COMPLAINT_GROUP,
        help="At least N complaints within the last M days (Complaints settings).",
    )

    def _complaint_domain(self):
        return Domain("is_complaint", "=", True) & Domain("partner_id", "in", self.ids)

    @api.depends_context("company")
    def _compute_complaint_stats(self):
        Ticket = self.env["helpdesk.ticket"].with_context(active_test=False)
        company = self.env.company
        since = fields.Datetime.now() - timedelta(
            days=company.crm_iso_repeat_complaint_days
        )
        stats = {
            partner.id: (count, last)
            for partner, count, last in Ticket._read_group(
                self._complaint_domain(),
                ["partner_id"],
                ["__count", "received_date:max"],
            )
        }
        open_ = dict(
            Ticket._read_group(
                self._complaint_domain()
                & Domain("complaint_state", "not in", formulas.FINAL_STATES),
                ["partner_id"],
                ["__count"],
            )
        )
        recent = dict(
            Ticket._read_group(
                self._complaint_domain() & Domain("received_date", ">=", since),
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            count, last = stats.get(partner.id, (0, False))
            partner.complaint_count = count
            partner.last_complaint_date = last
            partner.open_complaint_count = open_.get(partner, 0)
            partner.is_repeat_complainant = (
                recent.get(partner, 0) >= company.crm_iso_repeat_complaint_count
            )

    def _search_is_repeat_complainant(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        company = self.env.company
        since = fields.Datetime.now() - timedelta(
            days=company.crm_iso_repeat_complaint_days
        )
        groups = self.env["helpdesk.ticket"]._read_group(
            [("is_complaint", "=", True), ("received_date", ">=", since)],
            ["partner_id"],
            having=[("__count", ">=", company.crm_iso_repeat_complaint_count)],
        )
        ids = [partner.id for (partner,) in groups if partner]
        wanted = (True in value) == (operator == "in")
        return Domain("id", "in" if wanted else "not in", ids)

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_complaints"
        )
        action["domain"] = [("partner_id", "child_of", self.ids)]
        action["context"] = {
            "default_partner_id": self.id,
            "default_is_complaint": True,
        }
        return action
