# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Write-once fields are a union over the classes of a model, like protected
ones: the QC action orders of this addon add their fields to the corrective
actions' ``crm_iso_origin`` without listing it again, and every entry stays
write-once through the external API."""

from datetime import date, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import execute_kw

MANAGER = "crm_mall_counter.group_mall_manager"


@tagged("post_install", "-at_install")
class TestWriteOnceUnion(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "wo_manager", groups=MANAGER)
        cls.admin = new_test_user(
            cls.env, "wo_admin", groups=f"base.group_system,{MANAGER}"
        )
        template = cls.env["crm.mall.qc.template"].create(
            {
                "name": "Parking round",
                "zone": "Parking",
                "item_ids": [(0, 0, {"name": "Lights", "answer_type": "yes_no"})],
            }
        )
        Inspection = cls.env["crm.mall.qc.inspection"]
        cls.inspection = Inspection.create(
            {"template_id": template.id, "zone": "Parking"}
        )
        cls.other_inspection = Inspection.create(
            {"template_id": template.id, "zone": "Parking"}
        )
        cls.order = cls.env["mgmtsystem.action"].create(
            {
                "name": "Fix the lights",
                "crm_iso_origin": "qc",
                "crm_mall_inspection_id": cls.inspection.id,
                "date_deadline": date.today() + timedelta(days=3),
            }
        )

    def test_the_guard_locks_the_union_of_the_classes(self):
        Action = self.env["mgmtsystem.action"]
        self.assertEqual(
            Action._crm_iso_write_once_fields(),
            {"crm_iso_origin", "crm_mall_inspection_id", "crm_mall_line_id"},
        )
        # no class of a guarded model lists again what a class it extends lists
        for name in self.env.registry.descendants(
            ["crm.iso.guarded.mixin"], "_inherit"
        ):
            classes = type(self.env[name]).__mro__
            for index, cls in enumerate(classes):
                own = set(vars(cls).get("_crm_iso_write_once", ()))
                for base in classes[index + 1 :]:
                    again = own & set(vars(base).get("_crm_iso_write_once", ()))
                    self.assertFalse(again, f"{name}: {cls} lists {again} again")

    def test_parent_and_own_entries_stay_write_once_over_rpc(self):
        attempts = {
            "crm_iso_origin": "complaint",  # listed by crm_iso_complaints
            "crm_mall_inspection_id": self.other_inspection.id,  # by this addon
        }
        for name, value in attempts.items():
            for user in (self.manager, self.admin):
                _result, error = execute_kw(
                    self,
                    user,
                    user.login,  # new_test_user's password
                    "mgmtsystem.action",
                    "write",
                    [self.order.ids, {name: value}],
                )
                self.assertEqual(error, "odoo.exceptions.UserError", (name, user))
        self.order.invalidate_recordset()
        self.assertEqual(
            (self.order.crm_iso_origin, self.order.crm_mall_inspection_id),
            ("qc", self.inspection),
        )
