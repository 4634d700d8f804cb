# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may decide about a complaint, through every path (#25, 7).

Through ``/jsonrpc`` (``object.execute_kw``) as a mall office reviewer: a
requalification at review that moves a complaint's subject elsewhere leaves the
complaint as it is to the complaint managers (each gets a to-do); the reviewer
cannot reject or close it by any other call either. A reviewer who is also a
complaint manager rejects it. The tracking link, which creates the complaint's
token, is not callable over RPC (``/jsonrpc`` nor ``/json/2``).
"""

from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import execute_kw
from odoo.addons.crm_mall_counter.tests.common import open_visits

PASSWORD = "decide-pass-1234"
REVIEWER = "crm_mall_counter.group_office_reviewer"
COMPLAINT_MANAGER = "crm_iso_complaints.group_complaint_manager"
REFUSED = ("odoo.exceptions.UserError", "odoo.exceptions.AccessError")
STAMPS = [
    "complaint_state",
    "complaint_rejected_uid",
    "complaint_rejected_date",
    "complaint_rejection_reason",
    "complaint_closed_uid",
    "is_complaint",
    "active",
]


@tagged("post_install", "-at_install")
class TestDecisionPathsRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.reviewer = new_test_user(
            env, "decide_reviewer", groups=REVIEWER, password=PASSWORD
        )
        cls.reviewer_manager = new_test_user(
            env,
            "decide_reviewer_manager",
            groups=f"{REVIEWER},{COMPLAINT_MANAGER}",
            password=PASSWORD,
        )
        cls.complaint_manager = new_test_user(
            env, "decide_manager", groups=COMPLAINT_MANAGER, password=PASSWORD
        )
        counter = env["crm.mall.counter"].create(
            {"name": "Decide desk", "code": "DECIDE"}
        )
        visitor = env["res.partner"].create({"name": "Decide visitor"})
        cls.visit = open_visits(
            env, [{"counter_id": counter.id, "partner_id": visitor.id}]
        )

    def complaint_subject(self):
        subject = self.env["crm.mall.subject"].create(
            {
                "visit_id": self.visit.id,
                "subject_type": "complaint",
                "description": "The escalator stopped with my child on it",
            }
        )
        complaint = subject.ticket_id
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.complaint_state, "received")
        return subject, complaint

    def rpc(self, user, model, method, *args):
        return execute_kw(self, user, PASSWORD, model, method, args)

    def test_a_reviewer_requalifies_and_leaves_the_complaint_to_managers(self):
        subject, complaint = self.complaint_subject()
        before = complaint.read(STAMPS)
        _result, error = self.rpc(
            self.reviewer,
            "crm.mall.subject",
            "action_requalify",
            subject.ids,
            "request",
        )
        self.assertIsNone(error)
        complaint.invalidate_recordset()
        subject.invalidate_recordset()
        self.assertEqual(complaint.read(STAMPS), before, "the complaint is untouched")
        self.assertEqual(subject.state, "reviewed")
        self.assertNotEqual(subject.ticket_id, complaint, "the request is routed")
        # every complaint manager of the company is asked to decide
        todo = complaint.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertIn(self.complaint_manager, todo.user_id)
        self.assertIn(self.reviewer_manager, todo.user_id)
        self.assertNotIn(self.reviewer, todo.user_id)
        self.assertIn("Requalified at review", todo[:1].summary)

    def test_a_reviewer_cannot_reject_or_close_a_complaint_by_any_call(self):
        _subject, complaint = self.complaint_subject()
        before = complaint.read(STAMPS)
        calls = [
            (
                "helpdesk.ticket",
                "_crm_iso_reject_with_reason",
                complaint.ids,
                "reviewer",
            ),
            ("helpdesk.ticket", "_complaint_transition", complaint.ids, "rejected"),
            ("helpdesk.ticket", "action_close", complaint.ids),
            ("helpdesk.ticket", "write", complaint.ids, {"complaint_state": "closed"}),
        ]
        for model, method, *args in calls:
            with self.subTest(method=method):
                _result, error = self.rpc(self.reviewer, model, method, *args)
                self.assertIn(error, REFUSED)
        # the reason wizard of the Reject button, created and applied over RPC
        wizard_id, error = self.rpc(
            self.reviewer,
            "crm.iso.complaint.reason.wizard",
            "create",
            [
                {
                    "action": "reject",
                    "ticket_ids": [(6, 0, complaint.ids)],
                    "reason": "reviewer",
                }
            ],
        )
        if not error:
            _result, error = self.rpc(
                self.reviewer,
                "crm.iso.complaint.reason.wizard",
                "action_apply",
                wizard_id,
            )
        self.assertIn(error, REFUSED)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.read(STAMPS), before)

    def test_a_reviewer_who_is_a_complaint_manager_rejects(self):
        subject, complaint = self.complaint_subject()
        _result, error = self.rpc(
            self.reviewer_manager,
            "crm.mall.subject",
            "action_requalify",
            subject.ids,
            "request",
        )
        self.assertIsNone(error)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.complaint_state, "rejected")
        self.assertEqual(complaint.complaint_rejected_uid, self.reviewer_manager)
        self.assertEqual(
            complaint.complaint_rejection_reason, "Requalified at review: Request"
        )

    def test_the_tracking_link_is_not_callable_over_rpc(self):
        _subject, complaint = self.complaint_subject()
        complaint.sudo().access_token = False
        for method in ("crm_iso_tracking_url", "crm_iso_tracking_qr"):
            with self.subTest(method=method):
                result, error = self.rpc(
                    self.complaint_manager, "helpdesk.ticket", method, complaint.ids
                )
                self.assertEqual(error, "odoo.exceptions.AccessError", result)
                key = (
                    self.env["res.users.apikeys"]
                    .with_user(self.complaint_manager)
                    ._generate("rpc", "tracking", datetime.now() + timedelta(hours=1))
                )
                response = self.url_open(
                    f"/json/2/helpdesk.ticket/{method}",
                    json={"ids": complaint.ids},
                    headers={"Authorization": f"Bearer {key}"},
                    method="POST",
                )
                self.assertEqual(response.status_code, 403, response.text[:300])
                complaint.invalidate_recordset()
                self.assertFalse(complaint.sudo().access_token, "no token created")
        # the server still draws the link for its mails and receipts
        self.assertIn("/my/ticket/", complaint.crm_iso_tracking_url())
