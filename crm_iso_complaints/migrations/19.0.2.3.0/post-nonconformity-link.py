# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One link between complaints and nonconformities: OCA's (19.0.2.3.0).

Up to 19.0.2.2.0 the suite linked complaints and nonconformities through its own
many2many (``crm_iso_nonconformity_ticket_rel``); it now builds on OCA's
``helpdesk_mgmtsystem_nonconformity``, whose ``helpdesk_ticket.nonconformity_id``
holds one nonconformity per ticket. Each linked complaint gets its first
nonconformity (the oldest) there, unless it already has one. A complaint linked to
more than one keeps the others as a note in its chatter and in theirs, so that no
link is lost. The old table is dropped only once every one of its rows is either
in OCA's field or noted. Runs again harmlessly (no old table: nothing to do).
"""

import logging

from markupsafe import Markup

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)

OLD = "crm_iso_nonconformity_ticket_rel"


def migrate(cr, version):
    if not sql.table_exists(cr, OLD) or not sql.column_exists(
        cr, "helpdesk_ticket", "nonconformity_id"
    ):
        return
    cr.execute(
        SQL(
            """
            UPDATE helpdesk_ticket t
               SET nonconformity_id = r.nonconformity_id
              FROM (SELECT ticket_id, min(nonconformity_id) AS nonconformity_id
                      FROM %s GROUP BY ticket_id) r
             WHERE t.id = r.ticket_id AND t.nonconformity_id IS NULL
            """,
            SQL.identifier(OLD),
        )
    )
    moved = cr.rowcount
    # the links OCA's one field cannot hold: kept as notes on both sides
    cr.execute(
        SQL(
            """
            SELECT r.ticket_id, r.nonconformity_id
              FROM %s r JOIN helpdesk_ticket t ON t.id = r.ticket_id
             WHERE t.nonconformity_id IS DISTINCT FROM r.nonconformity_id
             ORDER BY r.ticket_id, r.nonconformity_id
            """,
            SQL.identifier(OLD),
        )
    )
    extra = cr.fetchall()
    env = api.Environment(cr, SUPERUSER_ID, {})
    for ticket_id, nonconformity_id in extra:
        ticket = env["helpdesk.ticket"].browse(ticket_id)
        nonconformity = env["mgmtsystem.nonconformity"].browse(nonconformity_id)
        body = Markup("%s %s - %s") % (
            env._("Also linked before 19.0.2.3.0 (one nonconformity per ticket now):"),
            ticket._get_html_link(title=ticket.complaint_ref or ticket.number),
            nonconformity._get_html_link(title=nonconformity.ref),
        )
        ticket.message_post(body=body, subtype_xmlid="mail.mt_note")
        nonconformity.message_post(body=body, subtype_xmlid="mail.mt_note")
    # every old row is now in OCA's field or noted: check, then drop the table
    cr.execute(
        SQL(
            """
            SELECT count(*) FROM %s r
              LEFT JOIN helpdesk_ticket t
                     ON t.id = r.ticket_id AND t.nonconformity_id = r.nonconformity_id
             WHERE t.id IS NULL
            """,
            SQL.identifier(OLD),
        )
    )
    if cr.fetchone()[0] != len(extra):
        raise RuntimeError(f"{OLD}: links neither moved nor noted; table kept")
    cr.execute(SQL("DROP TABLE %s", SQL.identifier(OLD)))
    _logger.info(
        "%s: %s links moved to nonconformity_id, %s kept as notes; table dropped",
        OLD,
        moved,
        len(extra),
    )
