# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_mall_subject import ANSWER_DOMAIN
from ..tools.phone import normalize_phone


class CrmMallCheckin(models.TransientModel):
    """The counter screen: a phone number, the visitor found, then check in."""

    _name = "crm.mall.checkin"
    _description = "Visitor check-in"

    channel = fields.Selection(
        [("counter", "Service counter"), ("call_centre", "Call centre")],
        default="counter",
        required=True,
    )
    counter_id = fields.Many2one(
        "crm.mall.counter",
        default=lambda self: self.env["crm.mall.shift"]._current().counter_id,
    )
    phone = fields.Char(required=True)
    name = fields.Char(string="Name (new visitor)")
    service_id = fields.Many2one(
        "crm.mall.queue.service",
        string="Queue for",
        domain="[('company_id', 'in', [False, company_id])]",
        default=lambda self: self.env["crm.mall.queue.service"].search([], limit=1),
    )
    company_id = fields.Many2one(related="counter_id.company_id")
    priority = fields.Boolean(help="Elderly or disabled visitor: called first.")
    phone_e164 = fields.Char(compute="_compute_visitor")
    phone_error = fields.Char(compute="_compute_visitor")
    partner_id = fields.Many2one("res.partner", compute="_compute_visitor")
    visit_count = fields.Integer(compute="_compute_visitor")
    open_complaints = fields.Integer(compute="_compute_visitor")
    last_satisfaction = fields.Char(compute="_compute_visitor")
    # a visitor's question answered from the library while they wait
    answer_page_id = fields.Many2one(
        "document.page", string="Look up an answer", domain=ANSWER_DOMAIN
    )
    answer_content = fields.Html(related="answer_page_id.content", string="Answer")

    @api.depends("phone")
    def _compute_visitor(self):
        Partner = self.env["res.partner"].sudo()
        Visit = self.env["crm.mall.visit"]
        for wizard in self:
            wizard.update(
                {
                    "phone_e164": False,
                    "phone_error": False,
                    "partner_id": False,
                    "visit_count": 0,
                    "open_complaints": 0,
                    "last_satisfaction": False,
                }
            )
            if not wizard.phone:
                continue
            try:
                wizard.phone_e164 = normalize_phone(wizard.phone)
            except UserError as error:
                wizard.phone_error = error.args[0]
                continue
            partner = Partner.search(
                [("crm_mall_phone", "=", wizard.phone_e164)], limit=1
            )
            if partner:
                history = Visit.new({"partner_id": partner.id})
                wizard.update(
                    {
                        "partner_id": partner.id,
                        "visit_count": history.history_visit_count,
                        "open_complaints": history.history_open_complaints,
                        "last_satisfaction": history.history_last_satisfaction,
                    }
                )

    def action_checkin(self):
        self.ensure_one()
        visit = self.env["crm.mall.visit"].checkin(
            self.phone,
            name=self.name,
            counter_id=self.counter_id.id,
            channel=self.channel,
            service_id=self.service_id.id,
            priority=self.priority,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.mall.visit",
            "res_id": visit.id,
            "view_mode": "form",
            "target": "current",
        }
