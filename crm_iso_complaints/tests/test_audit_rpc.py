# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ISO 10002 audit's guards through the real HTTP API (``/json/2``): an
override without a reason, the prefilled evidence and the review written by
hand, as users of each group, and the company wall. Each refusal is followed
by a re-read of the record from the database."""

from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .test_audit import AuditCase

REFUSED = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.ValidationError",
}
LINE = "mgmtsystem.verification.line"
AUDIT = "mgmtsystem.audit"
LINE_FIELDS = [
    "crm_iso_evidence",
    "crm_iso_prefilled",
    "crm_iso_prefill_score",
    "crm_iso_state",
    "crm_iso_score",
    "crm_iso_reason",
    "crm_iso_reviewed_uid",
    "is_conformed",
]


@tagged("post_install", "-at_install")
class TestAuditRpc(AuditCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            "aud_admin",
            groups="base.group_system,mgmtsystem.group_mgmtsystem_manager,"
            "crm_iso_complaints.group_complaint_manager",
            password=cls.PASSWORD,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        # every group of the suite and of the management system, of another
        # company only
        cls.outsider = new_test_user(
            cls.env,
            "aud_outsider",
            groups="mgmtsystem.group_mgmtsystem_manager,"
            "mgmtsystem.group_mgmtsystem_auditor,"
            "crm_iso_complaints.group_complaint_manager",
            password=cls.PASSWORD,
        )

    def json2(self, user, model, method, **params):
        """(HTTP status, body) of ``model.method(**params)`` as ``user``."""
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "audit test", datetime.now() + timedelta(hours=1))
        )
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/json/2/{model}/{method}",
                json=params,
                headers={"Authorization": f"Bearer {key}"},
                method="POST",
            )
        return response.status_code, response.json()

    def assertRefused(self, user, model, method, **params):
        status, body = self.json2(user, model, method, **params)
        self.assertNotEqual(status, 200, (user.login, method, params))
        self.assertIn(body.get("name"), REFUSED, (user.login, method, body))

    def prefilled(self):
        audit = self.new_audit()
        audit.action_crm_iso_prefill()
        return audit, self.line(audit, "ack_in_time")

    def test_an_override_without_a_reason_is_refused(self):
        _audit, ack = self.prefilled()
        before = ack.read(LINE_FIELDS)
        for reason in ("", "   ", None, 42):
            self.assertRefused(
                self.auditor,
                LINE,
                "action_crm_iso_override",
                ids=ack.ids,
                score=10,
                reason=reason,
            )
            ack.invalidate_recordset()
            self.assertEqual(ack.read(LINE_FIELDS), before)
        status, _body = self.json2(
            self.auditor,
            LINE,
            "action_crm_iso_override",
            ids=ack.ids,
            score=10,
            reason="Late acknowledgements",
        )
        self.assertEqual(status, 200)
        ack.invalidate_recordset()
        self.assertEqual(
            (ack.crm_iso_state, ack.crm_iso_score, ack.crm_iso_reviewed_uid),
            ("overridden", 10.0, self.auditor),
        )

    def test_the_evidence_and_the_review_are_refused_to_every_group(self):
        audit, ack = self.prefilled()
        forged = {
            "crm_iso_evidence": "All perfect",
            "crm_iso_prefilled": True,
            "crm_iso_prefill_score": 100,
            "crm_iso_state": "confirmed",
            "crm_iso_score": 100,
            "crm_iso_reason": "Forged",
            "crm_iso_reviewed_uid": self.admin.id,
            "is_conformed": True,
        }
        audit_forged = {
            "state": "done",
            "crm_iso_score": 100,
            "crm_iso_score_operation": 100,
            "crm_iso_prefilled_uid": self.admin.id,
            "crm_iso_closed_uid": self.admin.id,
        }
        line_before = ack.read(LINE_FIELDS)
        audit_before = audit.read(list(audit_forged))
        for user in (self.auditor, self.audit_manager, self.owner, self.admin):
            for name, value in forged.items():
                self.assertRefused(user, LINE, "write", ids=ack.ids, vals={name: value})
                ack.invalidate_recordset()
                self.assertEqual(ack.read(LINE_FIELDS), line_before, (user, name))
            for name, value in audit_forged.items():
                self.assertRefused(
                    user, AUDIT, "write", ids=audit.ids, vals={name: value}
                )
                audit.invalidate_recordset()
                self.assertEqual(audit.read(list(audit_forged)), audit_before)
            # nor a forged question on the audit
            self.assertRefused(
                user,
                LINE,
                "create",
                vals_list=[
                    {"name": "Forged", "audit_id": audit.id, "crm_iso_score": 100}
                ],
            )
        self.assertEqual(self.env[LINE].search_count([("name", "=", "Forged")]), 0)

    def test_the_company_wall(self):
        audit, ack = self.prefilled()
        before = ack.read(LINE_FIELDS)
        self.assertRefused(self.outsider, AUDIT, "read", ids=audit.ids)
        self.assertRefused(
            self.outsider, AUDIT, "action_crm_iso_prefill", ids=audit.ids
        )
        self.assertRefused(
            self.outsider,
            LINE,
            "action_crm_iso_override",
            ids=ack.ids,
            score=100,
            reason="From outside",
        )
        self.assertRefused(
            self.outsider, AUDIT, "action_crm_iso_open_nonconformities", ids=audit.ids
        )
        ack.invalidate_recordset()
        self.assertEqual(ack.read(LINE_FIELDS), before)
        # a question of this company on an audit of another one
        question = self.env["crm.iso.audit.question"].create(
            {"name": "Own", "section": "operation", "company_id": self.company.id}
        )
        self.outsider.company_ids |= self.company
        other = self.env[AUDIT].create({"name": "Elsewhere"})
        self.assertRefused(
            self.outsider,
            LINE,
            "create",
            vals_list=[
                {
                    "name": "Own",
                    "audit_id": other.id,
                    "crm_iso_question_id": question.id,
                    "company_id": other.company_id.id,
                }
            ],
        )
        self.assertFalse(other.line_ids)
