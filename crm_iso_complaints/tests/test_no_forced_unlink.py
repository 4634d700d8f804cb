# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``_force_unlink`` (Odoo's module-uninstall flag) in the context of a plain
``unlink()``, as the ORM gets it from any RPC client: every delete rule of the
guarded models still runs. Only Odoo's removal of the data of a module in the
'to remove' state honours it."""

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.addons.crm_iso_complaints.models.crm_iso_guarded_mixin import (
    CrmIsoGuardedMixin,
    uninstalling,
)

from .common import ComplaintCase

FORCE = {MODULE_UNINSTALL_FLAG: True}
MODULE = "crm_iso_complaints"


@tagged("post_install", "-at_install")
class TestNoForcedUnlink(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.dr_officer = new_test_user(
            cls.env, "c_fu_dr", groups="crm_iso_complaints.group_dispute_officer"
        )
        mediation = cls.env.ref("crm_iso_complaints.dr_method_mediation")
        cls.provider = cls.env["crm.iso.dr.provider"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Mediator"}).id,
                "method_ids": [(6, 0, mediation.ids)],
            }
        )

    def _kept(self):
        """A complaint, another one with its register rows, its dispute case
        and the case's provider."""
        complaint = self.responded_complaint()
        complaint.with_user(self.officer)._crm_iso_customer_reject("No")
        case = (
            self.env["crm.iso.dispute"]
            .with_user(self.dr_officer)
            .create(
                {
                    "complaint_id": complaint.id,
                    "provider_id": self.provider.id,
                    "method_id": self.provider.method_ids.id,
                    "customer_consent": True,
                }
            )
        )
        events = self.env["crm.iso.event"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", complaint.id)]
        )
        self.assertTrue(events)
        return [
            self.new_complaint(),
            events[-1],
            case.with_env(self.env),
            self.provider,
            complaint,
        ]

    def _module_state(self, state):
        self.env.cr.execute(
            SQL("UPDATE ir_module_module SET state = %s WHERE name = %s", state, MODULE)
        )

    def assertKept(self, records):
        for record in records:
            for env_record in (
                record.with_user(self.admin).with_context(**FORCE),
                record.sudo().with_context(**FORCE),
            ):
                with self.assertRaises(UserError), self.cr.savepoint():
                    env_record.unlink()
            self.assertTrue(record.exists(), record)

    def test_the_flag_deletes_nothing(self):
        self.assertKept(self._kept())

    def test_only_a_real_uninstall_honours_the_flag(self):
        kept = self._kept()
        complaint = kept[0]
        # inside Odoo's removal of module data, but the module is installed
        # (module_uninstall called straight over RPC, say): refused
        with uninstalling([MODULE]):
            self.assertKept(kept)
        # the module is to be removed, but this is not its data removal
        self._module_state("to remove")
        self.assertKept(kept)
        # the real thing: its removal, in the 'to remove' state
        self.assertFalse(complaint.sudo()._crm_iso_uninstalling())
        with uninstalling([MODULE]):
            self.assertTrue(complaint.sudo()._crm_iso_uninstalling())
            complaint.sudo().with_context(**FORCE).unlink()
        self.assertFalse(complaint.exists())
        self._module_state("installed")

    def test_every_delete_rule_of_the_suite_is_guarded(self):
        """A delete rule the flag skips (``at_uninstall=False``), written by the
        suite on any model: the model goes through the guard's ``unlink``."""
        ruled = set()
        for name in self.env.registry:
            model = self.env[name]
            if model._abstract:
                continue
            for func in model._ondelete_methods:
                if func._ondelete or not func.__module__.startswith(
                    ("odoo.addons.crm_iso_", "odoo.addons.crm_mall_")
                ):
                    continue
                ruled.add(name)
                self.assertIn(CrmIsoGuardedMixin, type(model).mro(), name)
        self.assertLessEqual(
            {"helpdesk.ticket", "crm.iso.dispute", "crm.iso.dr.provider"}, ruled
        )
