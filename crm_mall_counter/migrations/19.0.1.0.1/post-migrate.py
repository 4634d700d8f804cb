# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Kiosk tokens: keep their SHA-256 only, drop the plaintext column.

Up to 19.0.1.0.0 ``crm.mall.kiosk.device.token`` held the token in clear. The
field is gone; Odoo leaves its column until the end of the update, so the
tokens are read here, hashed into ``token_hash`` (the tablets' URLs keep
working) and the column is dropped.
"""

import logging

from odoo.tools import SQL, sql

from odoo.addons.crm_mall_counter.models.crm_mall_token_mixin import hash_token

_logger = logging.getLogger(__name__)
TABLE = "crm_mall_kiosk_device"


def migrate(cr, version):
    if not version or not sql.column_exists(cr, TABLE, "token"):
        return
    cr.execute(
        SQL(
            "SELECT id, token FROM %s WHERE token IS NOT NULL AND token != ''"
            " AND token_hash IS NULL",
            SQL.identifier(TABLE),
        )
    )
    rows = cr.fetchall()
    for device_id, token in rows:
        cr.execute(
            SQL(
                "UPDATE %s SET token_hash = %s WHERE id = %s",
                SQL.identifier(TABLE),
                hash_token(token),
                device_id,
            )
        )
    cr.execute(SQL("ALTER TABLE %s DROP COLUMN token CASCADE", SQL.identifier(TABLE)))
    _logger.info("kiosk devices: %s tokens hashed, plaintext column dropped", len(rows))
