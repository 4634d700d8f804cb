# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""QC action orders moved by pre-actions: OCA references and stored computed
fields (the zone of the inspection)."""

from odoo import SUPERUSER_ID, api

from odoo.addons.crm_iso_complaints.tools import action_migration as m


def migrate(cr, version):
    m.finish(
        api.Environment(cr, SUPERUSER_ID, {}),
        "crm.mall.qc.action.order",
        "crm_mall_qc_action_order",
        ("crm_mall_zone",),
    )
