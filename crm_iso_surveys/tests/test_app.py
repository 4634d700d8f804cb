# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSatisfactionApp(TransactionCase):
    def test_menu_for_analysts_settings_for_managers(self):
        menus = self.env["ir.ui.menu"]
        root = self.env.ref("crm_iso_surveys.menu_crm_iso_surveys_root")
        config = self.env.ref("crm_iso_surveys.menu_crm_iso_surveys_config")
        analyst = new_test_user(
            self.env, "analyst", groups="crm_iso_surveys.group_survey_analyst"
        )
        outsider = new_test_user(self.env, "outsider", groups="base.group_user")
        visible = menus.with_user(analyst)._visible_menu_ids()
        self.assertIn(root.id, visible)
        self.assertNotIn(config.id, visible)
        self.assertNotIn(root.id, menus.with_user(outsider)._visible_menu_ids())
        # the analyst group brings survey's own user group with it
        self.assertTrue(analyst.has_group("survey.group_survey_user"))

    def test_min_sample_size_setting(self):
        self.env["res.config.settings"].create(
            {"crm_iso_min_sample_size": 50}
        ).execute()
        self.assertEqual(self.env.company.crm_iso_min_sample_size, 50)
        with self.assertRaises(ValidationError):
            self.env.company.crm_iso_min_sample_size = 0
