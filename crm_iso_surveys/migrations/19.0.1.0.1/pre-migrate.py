# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The partner's satisfaction figures become company-dependent (jsonb columns):
the plain columns go, post-migrate recomputes them per company."""

from odoo.tools import SQL

COLUMNS = (
    "crm_iso_last_csat",
    "crm_iso_last_nps",
    "crm_iso_nps_class",
    "crm_iso_response_count",
    "crm_iso_loyalty_segment",
    "crm_iso_at_risk",
)


def migrate(cr, version):
    for column in COLUMNS:
        cr.execute(
            SQL(
                "ALTER TABLE res_partner DROP COLUMN IF EXISTS %s",
                SQL.identifier(column),
            )
        )
