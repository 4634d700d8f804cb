# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .crm_iso_guarded_mixin import uninstalling


class IrModelData(models.Model):
    _inherit = "ir.model.data"

    @api.model
    def _module_data_uninstall(self, modules_to_remove):
        """Odoo's removal of the data of uninstalled modules: the one place
        where the guarded models honour ``_force_unlink`` (see
        ``crm.iso.guarded.mixin``)."""
        with uninstalling(modules_to_remove):
            return super()._module_data_uninstall(modules_to_remove)
