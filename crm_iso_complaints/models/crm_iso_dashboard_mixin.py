# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CrmIsoDashboardMixin(models.AbstractModel):
    """A dashboard computed on the fly: a transient form of figures and charts.

    Opening one, or changing its period, is the web client's ``onchange``: it
    computes the figures on a record that is not saved and writes nothing. Marked
    ``@api.readonly``, it gets a read-only cursor from ``/web/dataset/call_kw``
    (on the database replica when ``db_replica_host`` is configured), like
    Odoo's own ``web_read``. Saving the dashboard (a drill-down button does) is a
    ``web_save``: read/write as ever.
    """

    _name = "crm.iso.dashboard.mixin"
    _description = "Dashboard read on a replica"

    @api.readonly
    def onchange(self, values, field_names, fields_spec):
        return super().onchange(values, field_names, fields_spec)
