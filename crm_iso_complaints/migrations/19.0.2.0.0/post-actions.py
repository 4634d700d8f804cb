# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Corrective actions moved by pre-actions: their complaints, OCA references and
stored computed fields."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from odoo.addons.crm_iso_complaints.tools import action_migration as m

OLD_MODEL = "crm.iso.corrective.action"


def migrate(cr, version):
    if m.new_ids(cr, OLD_MODEL) and m.table_exists(
        cr, "crm_iso_corrective_action_ticket_rel"
    ):
        cr.execute(
            SQL(
                "INSERT INTO crm_iso_action_ticket_rel (action_id, ticket_id) "
                "SELECT l.new_id, r.ticket_id "
                "FROM crm_iso_corrective_action_ticket_rel r "
                "JOIN %s l ON l.old_model = %s AND l.old_id = r.action_id "
                "ON CONFLICT DO NOTHING",
                SQL.identifier(m.LEGACY),
                OLD_MODEL,
            )
        )
    m.finish(
        api.Environment(cr, SUPERUSER_ID, {}),
        OLD_MODEL,
        "crm_iso_corrective_action",
        link_tables=("crm_iso_corrective_action_ticket_rel",),
    )
