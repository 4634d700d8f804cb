# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CrmMallQcActionOrder(models.Model):
    """An action ordered by a senior manager from a failed inspection item."""

    _name = "crm.mall.qc.action.order"
    _description = "QC action order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id"

    name = fields.Char(required=True, tracking=True)
    inspection_id = fields.Many2one("crm.mall.qc.inspection", required=True, index=True)
    line_id = fields.Many2one("crm.mall.qc.inspection.line", string="Failed item")
    zone = fields.Char(related="inspection_id.zone", store=True)
    company_id = fields.Many2one(related="inspection_id.company_id", store=True)
    responsible_id = fields.Many2one("res.users", tracking=True, index=True)
    department = fields.Char()
    due_date = fields.Date(required=True, tracking=True, index=True)
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent"), ("2", "Critical")], default="0"
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("done", "Done"),
            ("verified", "Verified"),
        ],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    evidence = fields.Text(string="Evidence of completion")
    evidence_photo = fields.Image(max_width=1600, max_height=1600)
    done_date = fields.Date(readonly=True)
    verified_by = fields.Many2one("res.users", readonly=True)
    escalated = fields.Boolean(readonly=True)

    @api.constrains("due_date")
    def _check_due_date(self):
        for order in self:
            created = fields.Date.to_date(
                order.create_date
            ) or fields.Date.context_today(self)
            if order.due_date < created:
                raise ValidationError(
                    self.env._("An action order cannot be due before it is issued.")
                )

    def action_done(self):
        if any(not (o.evidence or o.evidence_photo) for o in self):
            raise UserError(self.env._("Attach evidence of completion first."))
        self.write({"state": "done", "done_date": fields.Date.context_today(self)})

    def action_verify(self):
        for order in self:
            if order.state != "done":
                raise UserError(self.env._("Only a done action order is verified."))
            if (
                self.env.user != order.inspection_id.inspector_id
                and not self.env.user.has_group("crm_mall_counter.group_mall_manager")
            ):
                raise UserError(self.env._("The inspector verifies the action order."))
        self.write({"state": "verified", "verified_by": self.env.uid})

    @api.model
    def _cron_escalate_overdue(self):
        """Overdue open orders: an activity to the senior managers, once."""
        overdue = self.search(
            [
                ("state", "=", "open"),
                ("escalated", "=", False),
                ("due_date", "<", fields.Date.context_today(self)),
            ]
        )
        managers = self.env.ref("crm_mall_counter.group_mall_manager").user_ids
        manager = managers.filtered(lambda u: not u.share)[:1]
        if not overdue or not manager:
            return
        model_id = self.env["ir.model"]._get_id(self._name)
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "activity_type_id": todo.id,
                    "user_id": manager.id,
                    "summary": self.env._("Overdue action order"),
                }
                for order in overdue
            ]
        )
        overdue.write({"escalated": True})
