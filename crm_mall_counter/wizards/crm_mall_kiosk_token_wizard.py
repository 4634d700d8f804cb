# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmMallKioskTokenWizard(models.TransientModel):
    """Shows a kiosk's new URL once, like Odoo's "API Key Ready" dialog.

    ``crm.mall.kiosk.device.action_new_token`` opens it with the URL as a
    default; the dialog is only closed, never saved, and ``create`` drops the
    URL anyway: the plaintext token is kept nowhere in the database.
    """

    _name = "crm.mall.kiosk.token.wizard"
    _description = "New kiosk link"

    device_id = fields.Many2one("crm.mall.kiosk.device", readonly=True)
    kiosk_url = fields.Char(string="Kiosk URL", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        # False, not absent: absent, the context's default would be stored
        return super().create([{**vals, "kiosk_url": False} for vals in vals_list])
