# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Wrong input through the external API and the survey page: a sentence that
says what is wrong, nothing created, never an AttributeError or a 500."""

import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

PASSWORD = "bad-input-pass-1234"
GROUPS = (
    "crm_iso_complaints.group_complaint_manager,"
    "crm_iso_surveys.group_survey_manager,"
    "crm_mall_counter.group_mall_manager,"
    "crm_mall_counter.group_counter_agent"
)


@tagged("post_install", "-at_install")
class TestBadInputOverRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, "bad_input", groups=GROUPS, password=PASSWORD)
        cls.counter = cls.env["crm.mall.counter"].create(
            {"name": "Bad input desk", "code": "BAD"}
        )

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assertReadable(self, counted, model, method, *args, **kwargs):
        """Refused with a UserError/ValidationError; ``counted`` unchanged."""
        before = {name: self.env[name].search_count([]) for name in counted}
        with self.assertRaises(JsonRpcException) as caught:
            self.call(model, method, *args, **kwargs)
        kind = caught.exception.args[0].rsplit(".", 1)[-1]
        self.assertIn(kind, ("UserError", "ValidationError"), (method, args, kwargs))
        self.env.invalidate_all()
        after = {name: self.env[name].search_count([]) for name in counted}
        self.assertEqual(after, before)

    def test_wrong_types_missing_values_and_unknown_ids(self):
        self.authenticate("bad_input", PASSWORD)
        visits = ("crm.mall.visit", "res.partner")
        for phone in (9121234567, None, "", ["0912"], {"x": 1}):
            with self.subTest(phone=phone):
                self.assertReadable(
                    visits,
                    "crm.mall.visit",
                    "checkin",
                    phone,
                    counter_id=self.counter.id,
                )
        for kwargs in (
            {"counter_id": "desk A"},
            {"counter_id": [self.counter.id]},
            {"counter_id": 10**9},
            {"counter_id": self.counter.id, "channel": "fax"},
            {"counter_id": self.counter.id, "name": 42},
        ):
            with self.subTest(**kwargs):
                self.assertReadable(
                    visits, "crm.mall.visit", "checkin", "09121234567", **kwargs
                )
        for report in ("crm.iso.complaint.report", "crm.iso.satisfaction.report"):
            for args in (([], "no_such_column"), ([], 5), ("not a domain", None)):
                with self.subTest(report=report, args=args):
                    self.assertReadable((), report, "get_kpis", *args)
        complaint = {
            "name": "Paper letter",
            "description": "<p>x</p>",
            "is_complaint": True,
            "partner_id": self.env["res.partner"].create({"name": "P"}).id,
            "complaint_receipt_backdate_reason": "letter",
        }
        for moment in ("last tuesday", "2026-13-45 10:00:00", 12):
            with self.subTest(complaint_received_date=moment):
                self.assertReadable(
                    ("helpdesk.ticket",),
                    "helpdesk.ticket",
                    "create",
                    [{**complaint, "complaint_received_date": moment}],
                )


@tagged("post_install", "-at_install")
class TestSurveyPageOutOfScale(HttpCase):
    def test_out_of_scale_answer_is_a_message_on_the_page(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "Scale check",
                "access_mode": "public",
                "questions_layout": "one_page",
                "question_and_page_ids": [
                    (
                        0,
                        0,
                        {
                            "title": "How likely are you to recommend us?",
                            "question_type": "scale",
                            "scale_min": 0,
                            "scale_max": 10,
                            "crm_iso_metric": "nps",
                        },
                    )
                ],
            }
        )
        question = survey.question_ids
        answer = survey._create_answer()
        url = f"/survey/submit/{survey.access_token}/{answer.access_token}"
        for value in ("11", "-1", "²", "9" * 30, "ten", "1e3"):
            with self.subTest(value=value):
                res = self.url_open(
                    url,
                    data=json.dumps(
                        {
                            "jsonrpc": "2.0",
                            "method": "call",
                            "params": {str(question.id): value},
                        }
                    ),
                    headers={"Content-Type": "application/json"},
                )
                self.assertEqual(res.status_code, 200)
                body = res.json()
                self.assertNotIn("error", body, body)
                _correct, errors = body["result"]
                self.assertEqual(errors["error"], "validation")
                self.assertIn("from 0 to 10", errors["fields"][str(question.id)])
                self.assertFalse(answer.user_input_line_ids)
        # every value of the scale, 0 included, and Persian digits are answers
        res = self.url_open(
            url,
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "params": {str(question.id): "۰"}}
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertNotEqual(res.json()["result"][1].get("error"), "validation")
        self.assertEqual(answer.user_input_line_ids.value_scale, 0)
