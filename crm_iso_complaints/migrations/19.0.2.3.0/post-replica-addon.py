# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The replica plumbing (read-your-writes, a lost replica served again on the
primary) left this addon for ``crm_iso_replica`` (19.0.2.3.0). It shipped from
19.0.2.2.0: a database updated from 19.0.2.2.0 had it, and the update installs
``crm_iso_replica`` so that it keeps it, whatever the configuration of the
process running the update. A database from an earlier release never had it and
does not get it.

``db_replica_host`` is an option of each Odoo node, not a fact of the database:
the update often runs in a one-off process without it, and deciding from that
process would silently drop the failover of the nodes that do read from a
replica. Without a replica the addon does nothing; such a database may
uninstall it afterwards (readme/HISTORY.md).

Odoo's loading loop installs a module marked ``to install`` during the update
(odoo/modules/loading.py, step 3). Running this twice changes nothing: an addon
installed, marked or absent from the addons path is left alone. The
read-your-writes window set under the old system parameter moves to the new one.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

# the first release with the plumbing in crm_iso_complaints
SHIPPED_IN = (19, 0, 2, 2, 0)
OLD_PARAM = "crm_iso_complaints.read_your_writes_seconds"
NEW_PARAM = "crm_iso_replica.read_your_writes_seconds"


def migrate(cr, version):
    if not version:
        return
    if tuple(int(part) for part in version.split(".")) < SHIPPED_IN:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    old = params.search([("key", "=", OLD_PARAM)])
    if old and not params.get_param(NEW_PARAM):
        params.set_param(NEW_PARAM, old.value)
    old.unlink()
    addon = env["ir.module.module"].search([("name", "=", "crm_iso_replica")])
    if not addon:
        _logger.warning(
            "crm_iso_replica is not in the addons path: the replica plumbing of "
            "crm_iso_complaints moved there; install it on a database whose "
            "Odoo nodes read from a replica (db_replica_host)"
        )
    elif addon.state == "uninstalled":
        addon.button_install()
        _logger.info("crm_iso_replica marked to install (moved from here)")
