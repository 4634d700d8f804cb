# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmMallDisplayTokenWizard(models.TransientModel):
    """Shows a waiting-room screen's new URL once, like the kiosk's dialog.

    ``crm.mall.display.action_new_token`` opens it with the URL as a default;
    the dialog is only closed, never saved, and ``create`` drops the URL
    anyway: the plaintext token is kept nowhere in the database.
    """

    _name = "crm.mall.display.token.wizard"
    _description = "New screen link"

    display_id = fields.Many2one("crm.mall.display", string="Screen", readonly=True)
    display_url = fields.Char(string="Screen URL", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        # False, not absent: absent, the context's default would be stored
        return super().create([{**vals, "display_url": False} for vals in vals_list])
