# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The complaint dashboard's URL (/odoo/complaint-dashboard) moves from its
window action to the server action that opens a saved board: free the path
first (paths are unique across action tables, checked before the window action
is updated). Runs twice without harm."""


def migrate(cr, version):
    cr.execute("SELECT to_regclass('ir_act_window') IS NOT NULL")
    if cr.fetchone()[0]:
        cr.execute(
            "UPDATE ir_act_window SET path = NULL"
            " WHERE path = 'complaint-dashboard' AND res_model = 'crm.iso.chart.board'"
        )
