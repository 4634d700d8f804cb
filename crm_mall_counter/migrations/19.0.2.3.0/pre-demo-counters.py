# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's three upper counters became XML records (``counter_first``,
``counter_second``, ``counter_parking``); before 19.0.2.3.0 the demo generator
created the same counters (same codes) without an XML id. Bind the existing rows to
the new XML ids so that the updated demo takes them over instead of inserting a
second counter with the same code (refused by ``crm_mall_counter_code_uniq``, which
would leave the demo half-installed). Only in a database whose addon has its demo
data: elsewhere a counter with one of these codes is the company's own and an XML id
of the addon would make Odoo delete it at the end of the update. Runs twice without
harm (an XML id already there is left alone)."""

DEMO_COUNTERS = {
    "counter_first": "1-01",
    "counter_second": "2-01",
    "counter_parking": "P-01",
}


def migrate(cr, version):
    cr.execute("SELECT to_regclass('crm_mall_counter') IS NOT NULL")
    if not cr.fetchone()[0]:
        return
    cr.execute("SELECT demo FROM ir_module_module WHERE name = 'crm_mall_counter'")
    row = cr.fetchone()
    if not (row and row[0]):
        return
    for name, code in DEMO_COUNTERS.items():
        cr.execute(
            """
            INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
            SELECT 'crm_mall_counter', %s, 'crm.mall.counter', c.id, FALSE
              FROM crm_mall_counter c
             WHERE c.code = %s
               AND c.company_id = (
                    SELECT res_id FROM ir_model_data
                     WHERE module = 'base' AND name = 'main_company')
               AND NOT EXISTS (
                    SELECT 1 FROM ir_model_data
                     WHERE module = 'crm_mall_counter' AND name = %s)
               AND NOT EXISTS (
                    SELECT 1 FROM ir_model_data
                     WHERE model = 'crm.mall.counter' AND res_id = c.id)
             ORDER BY c.id
             LIMIT 1
            """,
            (name, code, name),
        )
