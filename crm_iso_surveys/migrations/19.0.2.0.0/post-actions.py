# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Improvement actions moved by pre-actions: OCA references and stored computed
fields."""

from odoo import SUPERUSER_ID, api

from odoo.addons.crm_iso_complaints.tools import action_migration as m


def migrate(cr, version):
    m.finish(
        api.Environment(cr, SUPERUSER_ID, {}),
        "crm.iso.improvement.action",
        "crm_iso_improvement_action",
    )
