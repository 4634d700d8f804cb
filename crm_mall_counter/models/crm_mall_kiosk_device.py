# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from datetime import timedelta

from odoo import fields, models


class CrmMallKioskDevice(models.Model):
    """A tablet at a counter showing satisfaction surveys in kiosk mode.

    It authenticates with its own revocable token in its URL, never with a
    user's password; revoking (or a new token) locks the old URL out at once.
    """

    _name = "crm.mall.kiosk.device"
    _description = "Counter kiosk device"
    _inherit = ["mail.thread"]

    name = fields.Char(required=True)
    counter_id = fields.Many2one("crm.mall.counter", required=True, index=True)
    company_id = fields.Many2one(related="counter_id.company_id", store=True)
    token = fields.Char(
        readonly=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(32),
        groups="crm_mall_counter.group_counter_supervisor",
    )
    revoked = fields.Boolean(readonly=True, tracking=True)
    kiosk_url = fields.Char(
        compute="_compute_kiosk_url", groups="crm_mall_counter.group_counter_supervisor"
    )

    _token_uniq = models.Constraint("UNIQUE (token)", "Kiosk tokens are unique.")

    def _compute_kiosk_url(self):
        for device in self:
            # get_base_url() is per record (the company's website may differ)
            device.kiosk_url = f"{device.get_base_url()}/kiosk/{device.token}"

    def action_revoke(self):
        self.write({"revoked": True})

    def action_new_token(self):
        for device in self:
            device.write({"token": secrets.token_urlsafe(32), "revoked": False})

    def _from_token(self, token):
        """The active device of a token (sudo), or an empty recordset."""
        if not token:
            return self.browse()
        return self.sudo().search(
            [("token", "=", token), ("revoked", "=", False)], limit=1
        )

    def _pending_visit(self):
        """The latest visit of this counter sent to the kiosk in the last 15
        minutes and not answered yet (see crm.mall.visit.action_kiosk_survey)."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(minutes=15)
        return (
            self.env["crm.mall.visit"]
            .sudo()
            .search(
                [
                    ("counter_id", "=", self.counter_id.id),
                    ("kiosk_token", "!=", False),
                    ("kiosk_answered", "=", False),
                    ("kiosk_sent_date", ">=", since),
                ],
                order="kiosk_sent_date desc",
                limit=1,
            )
        )

    def _kiosk_survey(self):
        """The survey the measurement plan chooses for this counter's kiosk."""
        self.ensure_one()
        plans = (
            self.env["crm.iso.measurement.plan"]
            .sudo()
            .search(
                [
                    ("channel_kiosk", "=", True),
                    ("company_id", "=", self.company_id.id),
                    "|",
                    ("crm_mall_counter_ids", "=", False),
                    ("crm_mall_counter_ids", "in", self.counter_id.ids),
                ]
            )
        )
        plan = plans.sorted(lambda p: (not p.crm_mall_counter_ids, p.sequence))[:1]
        return plan, plan.survey_ids[:1]
