# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A queue in the visitor's pocket (issue #28): a visit knows where its number
was taken (``crm_mall_visit.queue_origin``, new, required).

Every visit before this version was checked in at a counter or by the call
centre: ``walk_in``. The column is made and filled here, in one UPDATE, before
the update adds its NOT NULL. Runs on any earlier state and twice without harm
(rows already filled are left as they are).
"""

from odoo.tools import sql

VISIT = "crm_mall_visit"


def migrate(cr, version):
    if not version or not sql.table_exists(cr, VISIT):
        return
    if not sql.column_exists(cr, VISIT, "queue_origin"):
        sql.create_column(cr, VISIT, "queue_origin", "varchar")
    cr.execute(
        "UPDATE crm_mall_visit SET queue_origin = 'walk_in' WHERE queue_origin IS NULL"
    )
