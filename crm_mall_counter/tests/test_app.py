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

    def test_app_icon_opens_each_role_its_screen(self):
        root = self.env.ref("crm_mall_counter.menu_crm_mall_counter_root")
        home = self.env.ref("crm_mall_counter.action_server_mall_home")
        self.assertEqual(root.action, home)
        for group, action in (
            ("group_mall_manager", "action_crm_mall_cockpit"),
            ("group_counter_supervisor", "action_crm_mall_counter_board"),
            ("group_counter_agent", "action_crm_mall_checkin"),
            ("group_call_centre_agent", "action_crm_mall_call"),
            ("group_office_reviewer", "action_crm_mall_review_queue"),
            ("group_qc_inspector", "action_crm_mall_qc_inspections"),
            ("group_action_staff", "action_crm_mall_qc_action_orders"),
        ):
            user = new_test_user(
                self.env, f"home_{group}", groups=f"crm_mall_counter.{group}"
            )
            menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
            self.assertEqual(menus[root.id]["actionID"], home.id)
            opened = home.with_user(user).run()
            self.assertEqual(
                opened["id"], self.env.ref(f"crm_mall_counter.{action}").id, group
            )
