# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No context key from a client deletes what the suite keeps (issue #25, item 3).

Odoo skips every ``@api.ondelete(at_uninstall=False)`` check when the context
carries ``_force_unlink`` (its module-uninstall flag), and a client may send it.
Each record the suite never deletes is deleted through ``/jsonrpc``
(``execute_kw``) and ``/json/2`` with that key, as the administrator and as a
user of every group, then re-read: it is still there. A draft QC report, which a
mall manager may delete, is still deleted with the key: the key is ignored, the
deletion rules hold.
"""

from contextlib import closing

from odoo.tests import tagged

from .test_trust_rpc import REFUSALS, TrustRpcCase

FORCE = {"_force_unlink": True}
# the records the suite keeps (fixtures of TrustRpcCase and of _kept_fixtures)
KEPT = (
    "helpdesk.ticket",
    "crm.iso.dispute",
    "crm.iso.dr.provider",
    "crm.iso.conduct.snapshot",
    "crm.iso.escalation",
    "crm.iso.complaint.pause",
    "crm.iso.event",
    "crm.iso.review.input",
    "crm.iso.survey.invitation",
    "crm.mall.qc.inspection:submitted",
    "crm.mall.qc.inspection:approved",
)


@tagged("post_install", "-at_install")
class TestNoForcedUnlinkRpc(TrustRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        f = cls.fixtures
        f["crm.iso.dr.provider"] = f["crm.iso.dispute"].provider_id
        # the inputs of a closed management review: what was presented
        f["crm.iso.review.input"].review_id.button_close()
        # the inspector's own report, submitted; another one approved
        template = f["crm.mall.qc.inspection"].template_id
        Inspection = cls.env["crm.mall.qc.inspection"].with_user(cls.inspector)
        submitted, approved, cls.draft = Inspection.create(
            [{"template_id": template.id, "zone": "Food court"} for _i in range(3)]
        )
        (submitted | approved).line_ids.write({"value_yes_no": "yes"})
        (submitted | approved).action_submit()
        approved.with_user(cls.mall_manager).action_approve()
        f["crm.mall.qc.inspection:submitted"] = submitted.with_env(cls.env)
        f["crm.mall.qc.inspection:approved"] = approved.with_env(cls.env)
        cls.draft = cls.draft.with_env(cls.env)

    def unlink(self, route, user, record, context):
        """Delete ``record`` as ``user``; return (error, whether it still exists)."""
        with closing(self.env.cr.savepoint()):
            if route == "jsonrpc":
                _result, error = self.execute(
                    user, record._name, "unlink", [record.ids], context
                )
            else:
                _result, error = self.json2(
                    user,
                    record._name,
                    "unlink",
                    {"ids": record.ids, "context": context},
                )
            self.env.invalidate_all()
            kept = bool(record.sudo().exists())
        self.env.invalidate_all()
        return error, kept

    def test_kept_records_resist_the_uninstall_flag(self):
        holes, refusals = [], set()
        users = [self.admin, *self.group_users]
        for key in KEPT:
            record = self.fixtures[key]
            self.assertTrue(record.exists(), key)
            may = [u for u in users if record.with_user(u).has_access("unlink")]
            # the administrator and every user with the right to delete the
            # model over /json/2 (one API key each); everyone over /jsonrpc
            for user in users:
                self.api_key(user)
            calls = [("jsonrpc", user) for user in users]
            calls += [("json2", user) for user in {self.admin, *may}]
            for route, user in calls:
                for context in (FORCE, {**FORCE, **self.all_context}):
                    error, kept = self.unlink(route, user, record, context)
                    label = f"{route} {key} unlink as {user.login}"
                    if not kept:
                        holes.append(f"{label}: DELETED")
                    elif error is None or error["name"] not in REFUSALS:
                        holes.append(f"{label}: {error}")
                    elif user in may:
                        # refused by the model's own rule, not by the ACL
                        if error["name"] != "odoo.exceptions.UserError":
                            holes.append(f"{label}: {error['name']}, not the rule")
                        refusals.add(key)
        self.assertFalse(holes, "\n".join(holes))
        # each model some group may delete was refused by its rule, not the ACL
        for key in (
            "helpdesk.ticket",
            "crm.iso.dr.provider",
            "crm.mall.qc.inspection:submitted",
            "crm.mall.qc.inspection:approved",
        ):
            self.assertIn(key, refusals)
        # the inspector may delete the model, but not their own submitted report
        submitted = self.fixtures["crm.mall.qc.inspection:submitted"]
        self.assertTrue(submitted.with_user(self.inspector).has_access("unlink"))

    def test_the_flag_does_not_block_an_allowed_deletion(self):
        """A mall manager deletes a draft started by mistake, key or not."""
        self.api_key(self.mall_manager)
        for route in ("jsonrpc", "json2"):
            error, kept = self.unlink(route, self.mall_manager, self.draft, FORCE)
            self.assertEqual((error, kept), (None, False), route)
        # and its own inspector still may not, key or not
        error, kept = self.unlink("jsonrpc", self.inspector, self.draft, FORCE)
        self.assertTrue(kept)
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
