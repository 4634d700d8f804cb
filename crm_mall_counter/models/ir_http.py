# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrHttp(models.AbstractModel):
    """The unit's staff land on their own screen after login."""

    _inherit = "ir.http"

    def session_info(self):
        """Odoo opens ``home_action_id`` after login (the user's own
        ``action_id``); a staff member who chose none gets their role's screen:
        check-in, calls, QC, cockpit (``HOME_ACTIONS``)."""
        info = super().session_info()
        user = self.env.user
        if not info.get("home_action_id") and user:
            info["home_action_id"] = (
                self.env["crm.mall.counter"].sudo()._crm_mall_home_action_id(user)
            )
        return info
