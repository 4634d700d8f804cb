# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmIsoDrProvider(models.Model):
    """Profile of an external dispute-resolution provider (ISO 10003, 7.x)."""

    _name = "crm.iso.dr.provider"
    _description = "Dispute resolution provider"
    _check_company_auto = True
    # the guard's delete checks: a provider with cases stays, whatever the context
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.iso.guarded.mixin"]
    _order = "name"

    partner_id = fields.Many2one(
        "res.partner",
        check_company=True,
        required=True,
        ondelete="restrict",
        index=True,
    )
    name = fields.Char(related="partner_id.name", store=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    method_ids = fields.Many2many("crm.iso.dr.method", string="Methods offered")
    binding = fields.Boolean(
        string="Binding outcomes", help="The provider's decisions bind the parties."
    )
    fee_amount = fields.Monetary(string="Fee per case", currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    fee_payer = fields.Selection(
        [
            ("organisation", "The organisation"),
            ("customer", "The customer"),
            ("shared", "Shared"),
        ],
        default="organisation",
        required=True,
    )
    language_ids = fields.Many2many("res.lang", string="Languages")
    geographic_scope = fields.Char()
    average_duration_days = fields.Integer()
    impartiality_declaration = fields.Text(
        help="The provider's declaration of impartiality and conflicts of interest."
    )
    declaration_review_date = fields.Date(tracking=True)
    dr_active = fields.Boolean(string="Active provider", default=True, tracking=True)
    complaint_dispute_ids = fields.One2many(
        "crm.iso.dispute", "provider_id", string="Dispute"
    )
    dispute_count = fields.Integer(compute="_compute_dispute_count")

    _partner_uniq = models.Constraint(
        "UNIQUE (partner_id)", "This partner already has a provider profile."
    )

    @api.depends("complaint_dispute_ids")
    def _compute_dispute_count(self):
        counts = dict(
            self.env["crm.iso.dispute"]._read_group(
                [("provider_id", "in", self.ids)], ["provider_id"], ["__count"]
            )
        )
        for provider in self:
            provider.dispute_count = counts.get(provider, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_cases(self):
        if (
            self.env["crm.iso.dispute"]
            .with_context(active_test=False)
            .search_count([("provider_id", "in", self.ids)], limit=1)
        ):
            raise UserError(
                self.env._(
                    "A provider with dispute cases cannot be deleted: deactivate it."
                )
            )

    @api.model
    def _cron_review_declarations(self):
        """Remind the dispute officers of declarations due for review, once each."""
        today = fields.Date.context_today(self)
        due = self.search(
            [
                ("dr_active", "=", True),
                ("declaration_review_date", "<=", today),
                ("activity_ids", "=", False),
            ]
        )
        if not due:
            return
        user = self.env.ref("base.user_admin", raise_if_not_found=False)
        officers = self.env.ref("crm_iso_complaints.group_dispute_officer").user_ids
        user = officers[:1] or user
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": provider.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "summary": self.env._("Review the impartiality declaration"),
                    "user_id": user.id,
                    "date_deadline": today,
                }
                for provider in due
            ]
        )
