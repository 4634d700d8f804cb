# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One nonconformity link, OCA's (19.0.2.3.0): the suite's own button and stat
button on the complaint form are gone. Their view is removed before the update
loads the form it inherits, whose check would refuse the old button's method."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    view = env.ref(
        "crm_iso_complaints.ticket_view_form_nonconformity", raise_if_not_found=False
    )
    if view:
        view.unlink()
