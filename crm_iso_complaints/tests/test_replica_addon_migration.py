# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The update to 19.0.2.3.0 keeps the replica plumbing, now crm_iso_replica, in
a database that had it (migrations/19.0.2.3.0/post-replica-addon.py)."""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

SCRIPT = Path(__file__).parent.parent / "migrations/19.0.2.3.0/post-replica-addon.py"
OLD = "crm_iso_complaints.read_your_writes_seconds"
NEW = "crm_iso_replica.read_your_writes_seconds"


@tagged("post_install", "-at_install")
class TestReplicaAddonMigration(TransactionCase):
    def setUp(self):
        super().setUp()
        spec = importlib.util.spec_from_file_location("post_replica_addon", SCRIPT)
        self.script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.script)
        self.addon = self.env["ir.module.module"].search(
            [("name", "=", "crm_iso_replica")]
        )
        self.assertTrue(self.addon, "crm_iso_replica is in the addons path")
        self.params = self.env["ir.config_parameter"].sudo()

    def migrate(self, state, version="19.0.2.2.0"):
        """The script, updating from ``version``, on a database where
        crm_iso_replica is in ``state``."""
        self.addon.state = state
        self.env.flush_all()
        self.script.migrate(self.env.cr, version)
        self.env.invalidate_all()
        return self.addon.state

    def test_a_database_that_had_the_plumbing_installs_the_addon(self):
        self.assertEqual(self.migrate("uninstalled"), "to install")

    def test_a_database_from_before_the_plumbing_does_not_get_it(self):
        for version in ("19.0.2.1.0", "19.0.1.0.0"):
            with self.subTest(version=version):
                self.assertEqual(self.migrate("uninstalled", version), "uninstalled")

    def test_running_it_again_changes_nothing(self):
        for state in ("installed", "to install", "to upgrade"):
            with self.subTest(state=state):
                self.assertEqual(self.migrate(state), state)

    def test_the_window_moves_to_the_new_parameter(self):
        self.params.search([("key", "=", NEW)]).unlink()
        self.params.set_param(OLD, "25")
        self.migrate("installed")
        self.assertEqual(self.params.get_param(NEW), "25")
        self.assertFalse(self.params.search([("key", "=", OLD)]))

    def test_a_window_already_set_under_the_new_name_is_kept(self):
        self.params.set_param(NEW, "5")
        self.params.set_param(OLD, "25")
        self.migrate("installed")
        self.assertEqual(self.params.get_param(NEW), "5")
        self.assertFalse(self.params.search([("key", "=", OLD)]))
