# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    """Where a complaint registered at a counter or by the call centre came from."""

    _inherit = "helpdesk.ticket"

    crm_mall_subject_id = fields.Many2one(
        "crm.mall.subject",
        string="Registered subject",
        compute="_compute_crm_mall_origin",
        help="The subject of a visit or call this ticket was opened for.",
    )
    crm_mall_visit_id = fields.Many2one(
        "crm.mall.visit",
        string="Visit or call",
        compute="_compute_crm_mall_origin",
        help="The visit (or call) whose subject opened this ticket.",
    )

    def _compute_crm_mall_origin(self):
        """From the subject's link to its ticket (crm.mall.subject.ticket_id,
        indexed): one search for all the tickets. Sudo: a complaint handler
        may not read the counters' subjects, yet sees where a complaint came
        from (names only, see the ticket form)."""
        subjects = (
            self.env["crm.mall.subject"]
            .sudo()
            .search_fetch(
                [("ticket_id", "in", self.ids)], ["ticket_id", "visit_id"], order="id"
            )
        )
        by_ticket = {subject.ticket_id.id: subject for subject in subjects}
        for ticket in self:
            subject = by_ticket.get(ticket.id, subjects.browse())
            ticket.crm_mall_subject_id = subject
            ticket.crm_mall_visit_id = subject.visit_id

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        for ticket in tickets.filtered("user_id"):
            ticket._crm_mall_check_assignee(ticket.user_id)
        return tickets

    def write(self, vals):
        if vals.get("user_id"):
            self._crm_mall_check_assignee(self.env["res.users"].browse(vals["user_id"]))
        return super().write(vals)

    def _crm_mall_check_assignee(self, assignee):
        """A complaint is assigned only to a person holding the complaint
        officer's valid trainings, when its company requires it."""
        Training = self.env["crm.mall.training"]
        for company in self.filtered("is_complaint").company_id:
            Training._crm_mall_check_competence("complaint_officer", assignee, company)

    def _crm_iso_tz(self):
        """A complaint registered at a counter lives in the counter's zone."""
        self.ensure_one()
        counter = self.sudo().crm_mall_visit_id.counter_id
        return counter._crm_iso_tz() if counter else super()._crm_iso_tz()
