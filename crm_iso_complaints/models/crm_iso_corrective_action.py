# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
USE_BUTTONS = _lt("use Start, Done, Cancel and the effectiveness check")


class CrmIsoCorrectiveAction(models.Model):
    """A corrective action raised from one or more complaints (ISO 10002, 8.9/9)."""

    _name = "crm.iso.corrective.action"
    _description = "Corrective action"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.iso.guarded.mixin"]
    _order = "due_date, id desc"
    _crm_iso_protected = dict.fromkeys(
        (
            "state",
            "done_date",
            "effectiveness",
            "effectiveness_date",
            "effectiveness_uid",
        ),
        USE_BUTTONS,
    )

    name = fields.Char(required=True, tracking=True)
    description = fields.Html(sanitize_style=True)
    owner_id = fields.Many2one(
        "res.users",
        check_company=True,
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
        readonly=True,
        copy=False,
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
        readonly=True,
        copy=False,
        tracking=True,
    )
    effectiveness_date = fields.Date(
        string="Effectiveness checked on", readonly=True, copy=False
    )
    effectiveness_uid = fields.Many2one(
        "res.users", string="Effectiveness checked by", readonly=True, copy=False
    )
    effectiveness_note = fields.Text()
    complaint_ids = fields.Many2many(
        "helpdesk.ticket",
        "crm_iso_corrective_action_ticket_rel",
        "action_id",
        "ticket_id",
        string="Complaints",
        check_company=True,
        domain=[("is_complaint", "=", True)],
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    category_id = fields.Many2one(
        "helpdesk.ticket.category", check_company=True, index=True
    )
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

    def _move(self, origins, target, values=None):
        labels = dict(self._fields["state"]._description_selection(self.env))
        if self.filtered(lambda a: a.state not in origins):
            raise UserError(
                self.env._(
                    "An action goes to %(state)s only from %(origins)s.",
                    state=labels[target],
                    origins=", ".join(labels[o] for o in origins),
                )
            )
        self._crm_iso_write({"state": target, **(values or {})})
        return True

    def action_start(self):
        return self._move(("draft",), "in_progress")

    def action_done(self):
        return self._move(
            ("draft", "in_progress"), "done", {"done_date": self._crm_iso_today()}
        )

    def action_cancel(self):
        return self._move(("draft", "in_progress"), "cancelled")

    def action_check_effectiveness(self, effective):
        """Record the effectiveness check of a done action: a complaint manager
        who does not own it."""
        if self.filtered(lambda a: a.state != "done"):
            raise UserError(
                self.env._("Only a done action can be checked for effectiveness.")
            )
        self.env["helpdesk.ticket"]._check_manager(
            self.env._("check the effectiveness of a corrective action")
        )
        if self.filtered(lambda a: a.owner_id == self.env.user):
            raise UserError(
                self.env._(
                    "The owner of a corrective action does not check its "
                    "effectiveness: another complaint manager does."
                )
            )
        self._crm_iso_write(
            {
                "effectiveness": "effective" if effective else "not_effective",
                "effectiveness_date": self._crm_iso_today(),
                "effectiveness_uid": self.env.uid,
            }
        )
        return True

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
