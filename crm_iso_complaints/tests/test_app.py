# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintsApp(TransactionCase):
    """The app menu and its settings exist for the right groups only."""

    def _visible_menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_menu_visible_to_complaint_staff_only(self):
        root = self.env.ref("crm_iso_complaints.menu_crm_iso_root")
        settings = self.env.ref("crm_iso_complaints.menu_crm_iso_settings")
        officer = new_test_user(
            self.env, "officer", groups="crm_iso_complaints.group_complaint_user"
        )
        manager = new_test_user(
            self.env, "cmanager", groups="crm_iso_complaints.group_complaint_manager"
        )
        employee = new_test_user(self.env, "employee", groups="base.group_user")
        self.assertIn(root.id, self._visible_menus(officer))
        self.assertNotIn(settings.id, self._visible_menus(officer))
        self.assertNotIn(settings.id, self._visible_menus(manager))
        admin = self.env.ref("base.user_admin")
        self.assertIn(settings.id, self._visible_menus(admin))
        config = self.env.ref("crm_iso_complaints.menu_crm_iso_config")
        self.assertIn(config.id, self._visible_menus(manager))
        self.assertNotIn(config.id, self._visible_menus(officer))
        self.assertNotIn(root.id, self._visible_menus(employee))

    def test_settings_saved_on_company_and_validated(self):
        settings = self.env["res.config.settings"].create(
            {"crm_iso_repeat_complaint_count": 4, "crm_iso_repeat_complaint_days": 30}
        )
        settings.execute()
        self.assertEqual(self.env.company.crm_iso_repeat_complaint_count, 4)
        self.assertEqual(self.env.company.crm_iso_repeat_complaint_days, 30)
        with self.assertRaises(ValidationError):
            self.env.company.crm_iso_repeat_complaint_days = 0
