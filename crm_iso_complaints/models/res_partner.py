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

    @api.depends_context("company", "uid")
    def _compute_complaint_stats(self):
        Ticket = self.env["helpdesk.ticket"].with_context(active_test=False)
        stats = {
            partner.id: (count, last)
            for partner, count, last in Ticket._read_group(
                self._complaint_domain(),
                ["partner_id"],
                ["__count", "complaint_received_date:max"],
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
        repeat = self._repeat_complainants(Domain("partner_id", "in", self.ids))
        for partner in self:
            count, last = stats.get(partner.id, (0, False))
            partner.complaint_count = count
            partner.last_complaint_date = last
            partner.open_complaint_count = open_.get(partner, 0)
            partner.is_repeat_complainant = partner in repeat

    def _repeat_complainants(self, ticket_domain=None):
        """The one rule of the repeat-complainant flag, for its compute and its
        search: partners with at least N complaints received within the last M
        days (the company's Complaints settings), archived complaints included
        (they were received all the same)."""
        company = self.env.company
        since = fields.Datetime.now() - timedelta(
            days=company.crm_iso_repeat_complaint_days
        )
        domain = Domain("is_complaint", "=", True) & Domain(
            "complaint_received_date", ">=", since
        )
        if ticket_domain is not None:
            domain &= Domain(ticket_domain)
        groups = (
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            ._read_group(
                domain,
                ["partner_id"],
                having=[("__count", ">=", company.crm_iso_repeat_complaint_count)],
            )
        )
        return self.browse([partner.id for (partner,) in groups if partner])

    def _search_is_repeat_complainant(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        ids = self._repeat_complainants().ids
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
