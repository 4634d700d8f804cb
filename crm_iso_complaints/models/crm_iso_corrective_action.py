# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmIsoCorrectiveAction(models.Model):
    """A corrective action raised from one or more complaints (ISO 10002, 8.9/9)."""

    _name = "crm.iso.corrective.action"
    _description = "Corrective action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id desc"

    name = fields.Char(required=True, tracking=True)
    description = fields.Html(sanitize_style=True)
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    due_date = fields.Date(tracking=True)
    state = fields.Selection(
        [
            ("draft", "Planned"),
            ("in_progress", "In progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    done_date = fields.Date(readonly=True, copy=False)
    effectiveness = fields.Selection(
        [
            ("pending", "To be checked"),
            ("effective", "Effective"),
            ("not_effective", "Not effective"),
        ],
        default="pending",
        required=True,
        tracking=True,
    )
    effectiveness_date = fields.Date(string="Effectiveness checked on", copy=False)
    effectiveness_note = fields.Text()
    complaint_ids = fields.Many2many(
        "helpdesk.ticket",
        "crm_iso_corrective_action_ticket_rel",
        "action_id",
        "ticket_id",
        string="Complaints",
        domain=[("is_complaint", "=", True)],
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    category_id = fields.Many2one("helpdesk.ticket.category", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

    @api.depends("complaint_ids")
    def _compute_complaint_count(self):
        for action in self:
            action.complaint_count = len(action.complaint_ids)

    @api.depends("due_date", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.due_date
                and action.due_date < today
                and action.state in ("draft", "in_progress")
            )

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done", "done_date": fields.Date.context_today(self)})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_check_effectiveness(self, effective):
        """Record the effectiveness check of a done action."""
        if self.filtered(lambda a: a.state != "done"):
            raise UserError(
                self.env._("Only a done action can be checked for effectiveness.")
            )
        self.write(
            {
                "effectiveness": "effective" if effective else "not_effective",
                "effectiveness_date": fields.Date.context_today(self),
            }
        )

    def action_effective(self):
        return self.action_check_effectiveness(True)

    def action_not_effective(self):
        return self.action_check_effectiveness(False)

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_complaints"
        )
        action["domain"] = [("id", "in", self.complaint_ids.ids)]
        return action
