# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
USE_BUTTONS = _lt("use Done (with the evidence), then the inspector's Verify")


class CrmMallQcActionOrder(models.Model):
    """An action ordered by a senior manager from a failed inspection item."""

    _name = "crm.mall.qc.action.order"
    _description = "QC action order"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.iso.guarded.mixin"]
    _order = "due_date, id"
    _crm_iso_protected = {
        "state": USE_BUTTONS,
        "done_date": USE_BUTTONS,
        "done_uid": USE_BUTTONS,
        "verified_by": USE_BUTTONS,
        "verified_date": USE_BUTTONS,
        "escalated": _lt("the overdue cron escalates"),
    }
    _crm_iso_write_once = ("inspection_id", "line_id")

    name = fields.Char(required=True, tracking=True)
    inspection_id = fields.Many2one(
        "crm.mall.qc.inspection", check_company=True, required=True, index=True
    )
    line_id = fields.Many2one("crm.mall.qc.inspection.line", string="Failed item")
    zone = fields.Char(related="inspection_id.zone", store=True)
    company_id = fields.Many2one(related="inspection_id.company_id", store=True)
    responsible_id = fields.Many2one(
        "res.users", check_company=True, tracking=True, index=True
    )
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
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    evidence = fields.Text(string="Evidence of completion")
    evidence_photo = fields.Image(max_width=1600, max_height=1600)
    done_date = fields.Date(readonly=True, copy=False)
    done_uid = fields.Many2one("res.users", string="Done by", readonly=True, copy=False)
    verified_by = fields.Many2one("res.users", readonly=True, copy=False)
    verified_date = fields.Datetime(readonly=True, copy=False)
    escalated = fields.Boolean(readonly=True, copy=False)

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

    def write(self, vals):
        if {"evidence", "evidence_photo"} & set(vals) and self.filtered(
            lambda o: o.state != "open"
        ):
            raise UserError(
                self.env._("The evidence of a done action order is kept as it was.")
            )
        return super().write(vals)

    def action_done(self):
        if self.filtered(lambda o: o.state != "open"):
            raise UserError(self.env._("Only an open action order is done."))
        if any(not (o.evidence or o.evidence_photo) for o in self):
            raise UserError(self.env._("Attach evidence of completion first."))
        self._crm_iso_write(
            {
                "state": "done",
                "done_date": self._crm_iso_today(),
                "done_uid": self.env.uid,
            }
        )
        return True

    def action_verify(self):
        """The inspector (or a mall manager) verifies, never the one who did it."""
        for order in self:
            if order.state != "done":
                raise UserError(self.env._("Only a done action order is verified."))
            if not (order.evidence or order.evidence_photo):
                raise UserError(
                    self.env._("An action order is verified on its evidence.")
                )
            if order.done_uid == self.env.user:
                raise UserError(
                    self.env._(
                        "%(user)s did this action order: another person verifies it.",
                        user=self.env.user.name,
                    )
                )
            if (
                self.env.user != order.inspection_id.inspector_id
                and not self.env.user.has_group("crm_mall_counter.group_mall_manager")
            ):
                raise UserError(self.env._("The inspector verifies the action order."))
        self._crm_iso_write(
            {
                "state": "verified",
                "verified_by": self.env.uid,
                "verified_date": fields.Datetime.now(),
            }
        )
        return True

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
        overdue._crm_iso_write({"escalated": True})
