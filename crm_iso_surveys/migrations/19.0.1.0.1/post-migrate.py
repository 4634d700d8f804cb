# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every response gets its company, then each company's partner figures are
recomputed (see hooks.fill_response_companies)."""

from odoo import SUPERUSER_ID, api

from odoo.addons.crm_iso_surveys.hooks import fill_response_companies


def migrate(cr, version):
    fill_response_companies(api.Environment(cr, SUPERUSER_ID, {}))
