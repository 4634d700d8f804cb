# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib

from odoo import fields, models

from odoo.addons.base.models.res_partner import _lang_get


def hash_token(token):
    """The SHA-256 (hex) the database keeps of a device's link token.

    A token is 32 random bytes: a plain hash cannot be reversed or guessed,
    no salt or slow hash is needed (the same reasoning as Odoo's API key index).
    """
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class CrmMallTokenMixin(models.AbstractModel):
    """A device of the mall opened by a revocable token in its URL.

    A kiosk tablet or a waiting-room screen never logs in with a user's
    password. Only the token's hash is stored: the URL is shown once, when it
    is made, like an API key; a new token or revoking locks the old URL out at
    once. The public routes look the device up with :meth:`_from_token`.
    """

    _name = "crm.mall.token.mixin"
    _description = "Device opened by a link token"
    _inherit = ["mail.thread", "crm.iso.guarded.mixin"]

    # nobody reads it through the API: the public routes look it up as sudo
    token_hash = fields.Char(
        readonly=True, copy=False, groups="base.group_system", prefetch=False
    )
    has_token = fields.Boolean(compute="_compute_has_token", string="Link made")
    revoked = fields.Boolean(readonly=True, copy=False, tracking=True)
    lang = fields.Selection(
        _lang_get,
        string="Language",
        default=lambda self: self._crm_mall_default_lang(),
        help="The language the device opens in (its link may ask for another: "
        "?lang=en); by default the company's.",
    )

    def _crm_mall_default_lang(self):
        return self.env.company.partner_id.lang or self.env.lang or "en_US"

    # a unique constraint is also the index of the look-up by hash
    _token_hash_uniq = models.Constraint(
        "UNIQUE (token_hash)", "Link token hashes are unique."
    )

    def _compute_has_token(self):
        hashes = {device.id: device.token_hash for device in self.sudo()}
        for device in self:
            device.has_token = bool(hashes.get(device.id))

    def _crm_mall_set_token(self, token):
        """Store ``token``'s hash, which re-opens a revoked device. The caller
        has checked that the user may change the device: token_hash is readable
        by nobody, this is the narrow write after the check."""
        self.sudo()._crm_iso_write({"token_hash": hash_token(token), "revoked": False})
        self.invalidate_recordset(["has_token"])

    def _crm_demo_set_token(self, token):
        """Demo data only (``<function>`` in the demo file): a known token, so
        that a demo database opens the device."""
        self._crm_mall_set_token(token)

    def _from_token(self, token):
        """The active device of a token (sudo), or an empty recordset."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return self.browse()
        return self.sudo().search(
            [("token_hash", "=", hash_token(token)), ("revoked", "=", False)], limit=1
        )
