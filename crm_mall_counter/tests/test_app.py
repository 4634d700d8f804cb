# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.crm_mall_counter import HOME_ACTIONS


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

    def test_app_icon_opens_each_role_its_screen(self):
        root = self.env.ref("crm_mall_counter.menu_crm_mall_counter_root")
        home = self.env.ref("crm_mall_counter.action_server_mall_home")
        self.assertEqual(root.action, home)
        # every role that sees the app has its own first screen
        roles = {self.env.ref(f"crm_mall_counter.{g}") for g, _a in HOME_ACTIONS}
        self.assertTrue(root.group_ids)
        self.assertLessEqual(set(root.group_ids), roles)
        for group, action in HOME_ACTIONS:
            user = new_test_user(
                self.env, f"home_{group}", groups=f"crm_mall_counter.{group}"
            )
            menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
            self.assertEqual(menus[root.id]["actionID"], home.id)
            opened = home.with_user(user).run()
            self.assertEqual(
                opened["id"], self.env.ref(f"crm_mall_counter.{action}").id, group
            )
        manager = self.env["res.users"].search(
            [("login", "=", "home_group_mall_manager")]
        )
        self.assertEqual(home.with_user(manager).run()["res_model"], "crm.mall.cockpit")
