# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Kiosk tablets get a language of their own (``lang``, as waiting-room screens
had): an existing tablet keeps opening in its company's language. Runs twice
without harm: only empty languages are filled."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'crm_mall_kiosk_device' AND column_name = 'lang'"
    )
    if not cr.fetchone():
        return
    cr.execute(
        SQL(
            "UPDATE crm_mall_kiosk_device d SET lang = COALESCE(p.lang, 'en_US')"
            " FROM crm_mall_counter c JOIN res_company co ON co.id = c.company_id"
            " JOIN res_partner p ON p.id = co.partner_id"
            " WHERE c.id = d.counter_id AND d.lang IS NULL"
        )
    )
