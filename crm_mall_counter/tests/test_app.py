# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMallApp(TransactionCase):
    def test_groups_imply_each_other(self):
        manager = new_test_user(
            self.env, "mallboss", groups="crm_mall_counter.group_mall_manager"
        )
        self.assertTrue(manager.has_group("crm_mall_counter.group_counter_supervisor"))
        self.assertTrue(manager.has_group("crm_mall_counter.group_counter_agent"))
        agent = new_test_user(
            self.env, "agent", groups="crm_mall_counter.group_counter_agent"
        )
        self.assertFalse(agent.has_group("crm_mall_counter.group_counter_supervisor"))
        config = self.env.ref("crm_mall_counter.menu_crm_mall_counter_config")
        self.assertNotIn(
            config.id, self.env["ir.ui.menu"].with_user(agent)._visible_menu_ids()
        )

    def test_review_hours_setting(self):
        self.env["res.config.settings"].create({"crm_mall_review_hours": 8}).execute()
        self.assertEqual(self.env.company.crm_mall_review_hours, 8)
        with self.assertRaises(ValidationError):
            self.env.company.crm_mall_review_hours = -1
