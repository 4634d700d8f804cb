# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's dispute case got an external id (``demo_dispute``) after databases
were installed whose demo created it without one. A complaint has one dispute
case: the demo's new record would be a second one and Odoo would drop the whole
demo data of the addon ("demo data failed to install"). The existing case of the
demo complaint takes the external id (noupdate, like every demo record), so the
demo finds it. Idempotent; nothing to do without demo data.
"""

from odoo.tools import SQL

from odoo.addons.crm_iso_complaints.tools import upgrade

MODULE = "crm_iso_complaints"


def migrate(cr, version):
    if not upgrade.table_exists(cr, "crm_iso_dispute"):
        return
    cr.execute(
        SQL(
            "INSERT INTO ir_model_data (module, name, model, res_id, noupdate) "
            "SELECT %(module)s, 'demo_dispute', 'crm.iso.dispute', d.id, TRUE "
            "FROM crm_iso_dispute d JOIN ir_model_data c "
            "ON c.module = %(module)s AND c.name = 'demo_complaint_disputed' "
            "AND c.model = 'helpdesk.ticket' AND d.complaint_id = c.res_id "
            "WHERE NOT EXISTS (SELECT 1 FROM ir_model_data x "
            "WHERE x.module = %(module)s AND x.name = 'demo_dispute') "
            "ORDER BY d.id LIMIT 1",
            module=MODULE,
        )
    )
