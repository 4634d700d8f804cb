# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``make run PORT=8070``: the links the suite prints and sends follow the
server it starts (``crm_suite.follow_base_url``), unless the base URL is frozen."""

import crm_suite

from odoo.tests import TransactionCase, tagged


class _Suite:
    """The suite's ``psql``, run on the test's own cursor."""

    def __init__(self, cr):
        self.cr = cr

    def psql(self, sql, db):
        self.cr.execute(sql)


@tagged("post_install", "-at_install")
class TestBaseUrl(TransactionCase):
    def follow(self, url):
        crm_suite.follow_base_url(_Suite(self.env.cr), self.env.cr.dbname, url)
        self.env.registry.clear_cache()

    def test_links_follow_the_port_make_run_serves(self):
        complaint = self.env["helpdesk.ticket"].search(
            [("is_complaint", "=", True)], limit=1
        )
        self.follow("http://127.0.0.1:8070")
        self.assertTrue(
            complaint.crm_iso_tracking_url().startswith("http://127.0.0.1:8070/my/")
        )
        # an administrator who froze the base URL keeps it
        self.env["ir.config_parameter"].sudo().set_param("web.base.url.freeze", "1")
        self.follow("http://127.0.0.1:9999")
        self.assertEqual(complaint.get_base_url(), "http://127.0.0.1:8070")
