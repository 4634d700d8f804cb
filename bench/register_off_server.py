#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``odoo`` with the event register switched off, for bench_register.py only.

Same arguments as ``odoo-bin``. Before the server starts (and so in every
worker it forks), ``crm.iso.event._append`` is replaced by a method that writes
nothing. Nothing in the addons can switch the register off: no context key, no
setting, no parameter; only this process, which no client reaches, does.
"""

import sys

import odoo.cli
from odoo.modules import module
from odoo.tools import config


def switch_register_off():
    args = sys.argv[1:]
    config.parse_config([a for a in args if a != "gevent"], setup_logging=False)
    module.initialize_sys_path()
    from odoo.addons.crm_iso_complaints.models import crm_iso_event

    def _append(self, records, event, *args, **kwargs):
        return self.browse()

    crm_iso_event.CrmIsoEvent._append = _append


if __name__ == "__main__":
    switch_register_off()
    odoo.cli.main()
