# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Queue rules (issue #25, item 8): the service level of each call is kept.

``crm_mall_visit.service_level_minutes`` (new, stored) is the counter's level at
the moment of the call; ``within_service_level`` is computed from it. The column
is made here, before the update, so that Odoo does not compute it and then
recompute every past verdict with today's level: the visits already called take
their counter's current level (the best known; the level of their call was not
recorded), and their stored verdict, as it was reported, is kept unchanged.

A visit without a priority (NULL, created before the field had a default) had
none: it is written false, as the queue's order has always read it in the ORM.

Runs on any earlier state (checks the tables and columns) and twice without harm.
"""

from odoo.tools import sql

VISIT = "crm_mall_visit"
COUNTER = "crm_mall_counter"


def migrate(cr, version):
    if not version or not sql.table_exists(cr, VISIT):
        return
    if sql.column_exists(cr, VISIT, "priority"):
        cr.execute("UPDATE crm_mall_visit SET priority = FALSE WHERE priority IS NULL")
    if sql.column_exists(cr, VISIT, "service_level_minutes"):
        return  # made by an earlier run, filled then
    sql.create_column(cr, VISIT, "service_level_minutes", "int4")
    if not (
        sql.column_exists(cr, VISIT, "call_time")
        and sql.column_exists(cr, COUNTER, "service_level_minutes")
    ):
        cr.execute("UPDATE crm_mall_visit SET service_level_minutes = 0")
        return
    cr.execute(
        """
        UPDATE crm_mall_visit visit
           SET service_level_minutes = CASE
                   WHEN visit.call_time IS NULL THEN 0
                   ELSE COALESCE(counter.service_level_minutes, 0)
               END
          FROM crm_mall_counter counter
         WHERE counter.id = visit.counter_id
        """
    )
    cr.execute(
        "UPDATE crm_mall_visit SET service_level_minutes = 0"
        " WHERE service_level_minutes IS NULL"
    )
