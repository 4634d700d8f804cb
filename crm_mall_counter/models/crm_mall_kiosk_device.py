# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from datetime import timedelta

from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class CrmMallKioskDevice(models.Model):
    """A tablet at a counter showing satisfaction surveys in kiosk mode.

    It authenticates with its own revocable token in its URL, never with a
    user's password. Only the token's hash is stored: the URL is shown once,
    when it is made (``action_new_token``), like an API key; a new token or
    revoking locks the old URL out at once.
    """

    _name = "crm.mall.kiosk.device"
    _description = "Counter kiosk device"
    _inherit = ["crm.mall.token.mixin"]
    _crm_iso_protected = {
        "token_hash": _lt("use New kiosk link"),
        "revoked": _lt("use Revoke or New kiosk link"),
    }

    name = fields.Char(required=True)
    counter_id = fields.Many2one("crm.mall.counter", required=True, index=True)
    company_id = fields.Many2one(related="counter_id.company_id", store=True)
    has_token = fields.Boolean(string="Kiosk link made")

    # ------------------------------------------------------------ actions
    def action_revoke(self):
        self._crm_iso_write({"revoked": True})

    def action_new_token(self):
        """A new token replaces the old one; its URL is shown once, in a wizard."""
        self.ensure_one()
        # the user must be allowed to change this device (its counter's supervisor)
        self.check_access("write")
        token = secrets.token_urlsafe(32)
        self._crm_mall_set_token(token)
        self.message_post(
            body=self.env._(
                "A new kiosk link was made: the previous link no longer opens."
            )
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New kiosk link"),
            "res_model": "crm.mall.kiosk.token.wizard",
            "views": [(False, "form")],
            "target": "new",
            # never saved: the wizard shows the default and is closed (see wizard)
            "context": {
                "default_device_id": self.id,
                "default_kiosk_url": f"{self.get_base_url()}/kiosk/{token}",
            },
        }

    # ------------------------------------------------------------ kiosk side
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
        plan = self.env["crm.iso.measurement.plan"]._for_counter(self.counter_id)
        return plan, plan.survey_ids[:1]
