# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Answer library: set the old answers' external ids aside before the update.

Up to 19.0.1.x the answers were ``crm.mall.answer`` records; from 19.0.2.0.0 they
are knowledge pages (``document.page``, see post-answers.py). Odoo leaves the old
table in place (the model is gone from the registry), but the demo data of the
new version reuses the same external ids on ``document.page``: they are moved
into the old table here, so that nothing looks up a page by an answer's id in
between; post-answers.py gives them back, pointing to the new pages.
"""

from odoo.tools import SQL, sql

TABLE = "crm_mall_answer"


def migrate(cr, version):
    if not version or not sql.table_exists(cr, TABLE):
        return
    cr.execute(
        SQL(
            "ALTER TABLE %s ADD COLUMN IF NOT EXISTS crm_legacy_xmlid jsonb",
            SQL.identifier(TABLE),
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE %s answer
               SET crm_legacy_xmlid = jsonb_build_object(
                       'module', imd.module, 'name', imd.name,
                       'noupdate', COALESCE(imd.noupdate, FALSE))
              FROM ir_model_data imd
             WHERE imd.model = 'crm.mall.answer' AND imd.res_id = answer.id
            """,
            SQL.identifier(TABLE),
        )
    )
    cr.execute("DELETE FROM ir_model_data WHERE model = 'crm.mall.answer'")
