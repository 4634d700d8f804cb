# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Companies are walls on every relation, through the external API (#25, 5).

A user of company A, with every group of the suite, tries over ``/jsonrpc``
(``object.execute_kw``) to point A's records at company B's partners, users and
records: each write is refused with the company error and the record re-read
from the database is unchanged. An answer given through a survey's public link
lands in the company of the plan that measures with the survey, not in the
public user's company.
"""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.crm_iso_complaints.tests.common import execute_kw

PASSWORD = "walls-pass-1234"
GROUPS = (
    "crm_iso_complaints.group_complaint_manager,"
    "crm_iso_surveys.group_survey_manager,"
    "crm_mall_counter.group_mall_manager,"
    "crm_mall_counter.group_counter_supervisor,"
    "crm_mall_counter.group_office_reviewer,"
    "helpdesk_mgmt.group_helpdesk_manager,"
    "document_page.group_document_manager,"
    "base.group_system"
)
COMPANY_ERROR = ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError")
# a user of A alone may also be stopped earlier, by B's record rules
REFUSED = (*COMPANY_ERROR, "odoo.exceptions.AccessError")

SUITE = ("crm_iso_complaints", "crm_iso_surveys", "crm_mall_counter")
STAMP = "a stamp of the real user who acted, written by the transition only"
DERIVED = "the record's company is this record's company (related)"
SYSTEM = "written by the server only (guarded), from company-checked records"
# relations to company-bound records left unchecked on purpose, and why
DELIBERATELY_UNCHECKED = {
    **dict.fromkeys(
        (
            "helpdesk.ticket.complaint_acknowledged_uid",
            "helpdesk.ticket.complaint_assessed_uid",
            "helpdesk.ticket.complaint_investigation_uid",
            "helpdesk.ticket.complaint_response_uid",
            "helpdesk.ticket.complaint_closed_uid",
            "helpdesk.ticket.crm_iso_duplicate_uid",
            "helpdesk.ticket.complaint_rejected_uid",
            "helpdesk.ticket.complaint_reopened_uid",
            "mgmtsystem.action.crm_iso_approved_uid",
            "mgmtsystem.action.crm_iso_checked_uid",
            "mgmtsystem.action.crm_iso_done_uid",
            "crm.mall.qc.inspection.reviewer_id",
            "crm.mall.subject.reviewer_id",
            "crm.mall.visit.agent_id",
            "crm.iso.event.user_id",
            "mgmtsystem.audit.crm_iso_prefilled_uid",
            "mgmtsystem.audit.crm_iso_closed_uid",
            "mgmtsystem.verification.line.crm_iso_reviewed_uid",
        ),
        STAMP,
    ),
    **dict.fromkeys(
        (
            "crm.iso.conduct.snapshot.commitment_id",
            "crm.iso.review.input.review_id",
            "crm.mall.kiosk.device.counter_id",
        ),
        DERIVED,
    ),
    **dict.fromkeys(
        (
            "crm.iso.escalation.ticket_id",
            "crm.iso.escalation.team_id",
            "crm.iso.escalation.user_id",
            "crm.iso.survey.invitation.partner_id",
        ),
        SYSTEM,
    ),
    "crm.iso.dispute.attachment_ids": "the record's own documents",
    "crm.mall.subject.attachment_ids": "the record's own documents",
    "crm.iso.complaint.policy.calendar_id": "working-time calendars are shared "
    "configuration (Odoo's standard calendar belongs to the main company)",
    "helpdesk.ticket.category.complaint_team_id": "a shared category names one "
    "company's team; _complaint_team_for uses it for that company only",
}


@tagged("post_install", "-at_install")
class TestCompanyWallsRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a = env.ref("base.main_company")
        cls.company_b = env["res.company"].create({"name": "Walls B"})
        cls.user_a = new_test_user(
            env,
            "walls_a",
            groups=GROUPS,
            password=PASSWORD,
            company_id=cls.company_a.id,
        )
        cls.user_a.company_ids = cls.company_a
        # a user of both companies, working in A: only the company check stops them
        cls.user_ab = new_test_user(
            env,
            "walls_ab",
            groups=GROUPS,
            password=PASSWORD,
            company_id=cls.company_a.id,
        )
        cls.user_ab.company_ids = cls.company_a | cls.company_b
        cls.user_b = new_test_user(
            env, "walls_b", groups=GROUPS, company_id=cls.company_b.id
        )
        cls.user_b.company_ids = cls.company_b
        a, b = cls.company_a.id, cls.company_b.id
        cls.partner_a = env["res.partner"].create({"name": "Walls A customer"})
        cls.partner_b = env["res.partner"].create(
            {"name": "Walls B secret customer", "company_id": b}
        )
        Team = env["helpdesk.ticket.team"]
        cls.team_a = Team.create({"name": "Walls A team", "company_id": a})
        cls.team_b = Team.create({"name": "Walls B team", "company_id": b})
        Category = env["helpdesk.ticket.category"]
        cls.category_a = Category.create({"name": "Walls A", "company_id": a})
        cls.category_b = Category.create({"name": "Walls B", "company_id": b})
        cls.tag_b = env["helpdesk.ticket.tag"].create({"name": "B", "company_id": b})
        cls.channel_b = env["helpdesk.ticket.channel"].create(
            {"name": "B channel", "company_id": b}
        )
        Counter = env["crm.mall.counter"]
        cls.counter_a = Counter.create({"name": "A", "code": "WA", "company_id": a})
        cls.counter_b = Counter.create({"name": "B", "code": "WB", "company_id": b})
        cls.complaint_a = env["helpdesk.ticket"].create(
            {
                "name": "A complaint",
                "description": "<p>x</p>",
                "is_complaint": True,
                "partner_id": cls.partner_a.id,
                "company_id": a,
            }
        )
        cls.complaint_b = env["helpdesk.ticket"].create(
            {
                "name": "B complaint",
                "description": "<p>x</p>",
                "is_complaint": True,
                "partner_id": cls.partner_b.id,
                "company_id": b,
            }
        )
        policy = env["crm.iso.complaint.policy"].create(
            {
                "name": "A policy",
                "calendar_id": env.ref("resource.resource_calendar_std").id,
                "company_id": a,
            }
        )
        cls.level_a = env["crm.iso.escalation.level"].create(
            {"policy_id": policy.id, "level": 3}
        )
        cls.lost_a = env["crm.mall.lost.item"].create(
            {"name": "Umbrella", "kind": "found", "company_id": a}
        )
        cls.rule_a = env["crm.mall.routing.rule"].create(
            {"name": "A rule", "team_id": cls.team_a.id, "company_id": a}
        )
        cls.survey = env["survey.survey"].create(
            {
                "title": "Walls survey",
                "access_mode": "public",
                "users_login_required": False,
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
        survey_a = cls.survey.copy({"title": "A's own survey"})
        cls.plan_a = env["crm.iso.measurement.plan"].create(
            {"name": "A plan", "survey_ids": [(6, 0, survey_a.ids)], "company_id": a}
        )
        cls.plan_b = env["crm.iso.measurement.plan"].create(
            {
                "name": "B plan",
                "survey_ids": [(6, 0, cls.survey.ids)],
                "company_id": b,
            }
        )
        cls.page_a = env["document.page"].create(
            {"name": "A answer", "type": "content", "company_id": a}
        )

    def rpc(self, model, method, *args, user=None):
        return execute_kw(self, user or self.user_a, PASSWORD, model, method, args)

    def error_message(self, model, method, *args):
        """The message of the error a /jsonrpc call as user A answers."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [self.env.cr.dbname, self.user_a.id, PASSWORD, model, method]
                + [list(args)],
            },
        }
        with mute_logger("odoo.http"):
            body = self.url_open("/jsonrpc", json=payload).json()
        return body["error"]["data"]["message"]

    def assertWriteRefused(self, record, vals):
        """``vals`` written on ``record`` over /jsonrpc is refused, as the user of
        A and as the user of both companies (by the company check itself), and
        the record reads the same afterwards."""
        fnames = list(vals)
        before = record.sudo().read(fnames)
        for user, errors in ((self.user_a, REFUSED), (self.user_ab, COMPANY_ERROR)):
            _result, error = self.rpc(
                record._name, "write", record.ids, vals, user=user
            )
            self.assertIn(error, errors, (user.login, record, vals))
            record.invalidate_recordset()
            self.assertEqual(record.sudo().read(fnames), before, (record, vals))

    def test_a_partner_of_b_cannot_be_attached_to_a_complaint_of_a(self):
        # the user of A cannot read B's partner directly...
        _result, error = self.rpc("res.partner", "read", self.partner_b.ids, ["name"])
        self.assertEqual(error, "odoo.exceptions.AccessError")
        # ...nor attach it to A's complaint to read its name through it, nor
        # read the name in the refusal
        self.assertWriteRefused(self.complaint_a, {"partner_id": self.partner_b.id})
        message = self.error_message(
            "helpdesk.ticket",
            "write",
            self.complaint_a.ids,
            {"partner_id": self.partner_b.id},
        )
        self.assertIn("Contact", message)
        self.assertNotIn(self.partner_b.name, message)
        # nor create a complaint of A for it
        count = self.env["helpdesk.ticket"].search_count([])
        _result, error = self.rpc(
            "helpdesk.ticket",
            "create",
            [
                {
                    "name": "x",
                    "description": "x",
                    "is_complaint": True,
                    "partner_id": self.partner_b.id,
                }
            ],
        )
        self.assertIn(error, REFUSED)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        # a partner without a company is shared by both
        _result, error = self.rpc(
            "helpdesk.ticket",
            "write",
            self.complaint_a.ids,
            {"partner_id": self.partner_a.id},
        )
        self.assertIsNone(error)

    def test_no_record_of_a_points_at_b(self):
        cases = [
            (self.complaint_a, {"user_id": self.user_b.id}),
            (self.complaint_a, {"tag_ids": [(6, 0, self.tag_b.ids)]}),
            (self.complaint_a, {"channel_id": self.channel_b.id}),
            (
                self.complaint_a,
                {"complaint_subject_user_ids": [(6, 0, self.user_b.ids)]},
            ),
            (self.complaint_a, {"parent_complaint_id": self.complaint_b.id}),
            (self.level_a, {"user_id": self.user_b.id}),
            (self.counter_a, {"supervisor_ids": [(6, 0, self.user_b.ids)]}),
            (self.counter_a, {"team_ids": [(6, 0, self.team_b.ids)]}),
            (self.lost_a, {"partner_id": self.partner_b.id}),
            (self.lost_a, {"counter_id": self.counter_b.id}),
            (self.rule_a, {"team_id": self.team_b.id}),
            (self.rule_a, {"user_id": self.user_b.id}),
            (self.rule_a, {"category_id": self.category_b.id}),
            (self.plan_a, {"crm_mall_counter_ids": [(6, 0, self.counter_b.ids)]}),
            (self.page_a, {"crm_mall_counter_ids": [(6, 0, self.counter_b.ids)]}),
        ]
        for record, vals in cases:
            with self.subTest(model=record._name, vals=vals):
                self.assertWriteRefused(record, vals)

    def test_a_response_never_points_at_another_company(self):
        response = self.env["survey.user_input"].create(
            {"survey_id": self.survey.id, "crm_iso_plan_id": self.plan_a.id}
        )
        self.assertEqual(response.crm_iso_company_id, self.company_a)
        for vals in (
            {"crm_iso_complaint_id": self.complaint_b.id},
            {"crm_iso_plan_id": self.plan_b.id},
            {"crm_mall_counter_id": self.counter_b.id},
        ):
            with self.subTest(vals=vals):
                self.assertWriteRefused(response, vals)

    def test_a_public_answer_lands_in_the_plan_company(self):
        """The public user belongs to A; the survey is measured by B's plan only:
        the answer, given through the survey's public link, is B's."""
        self.assertEqual(self.env.ref("base.public_user").company_id, self.company_a)
        Input = self.env["survey.user_input"]
        before = Input.search([("survey_id", "=", self.survey.id)])
        response = self.url_open(f"/survey/start/{self.survey.access_token}")
        self.assertEqual(response.status_code, 200)
        answer = Input.search([("survey_id", "=", self.survey.id)]) - before
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.partner_id, self.env["res.partner"])
        self.assertEqual(answer.crm_iso_plan_id, self.plan_b)
        self.assertEqual(answer.crm_iso_company_id, self.company_b)

    def test_every_company_bound_relation_is_checked(self):
        """The sweep, kept: every stored relation the suite adds (on its models
        and on the models it extends) to a company-bound model (one with a
        company, and users) is company-checked on a model that checks, unless
        listed in DELIBERATELY_UNCHECKED with its reason."""
        unchecked, swept = [], set()
        for name in self.env.registry:
            model = self.env[name]
            if model._abstract or model._transient or not model._auto:
                continue
            if "company_id" not in model._fields:
                continue
            for field in model._fields.values():
                comodel = field.comodel_name
                if (
                    field.type not in ("many2one", "many2many")
                    or not field.store
                    or field.related
                    or (field.compute and field.readonly)
                    or field._module not in SUITE
                    or field.name in ("create_uid", "write_uid")
                    or comodel == "res.company"
                    or not (
                        comodel == "res.users"
                        or "company_id" in self.env[comodel]._fields
                    )
                ):
                    continue
                key = f"{name}.{field.name}"
                swept.add(key)
                checked = field.check_company and model._check_company_auto
                if not checked and key not in DELIBERATELY_UNCHECKED:
                    unchecked.append(key)
        self.assertEqual(unchecked, [])
        # the sweep saw the relations it is about (an empty sweep proves nothing):
        # one of the suite's models and one the suite adds to an upstream model
        self.assertLessEqual(
            {
                "crm.mall.lost.item.counter_id",
                "helpdesk.ticket.complaint_acknowledged_uid",
            },
            swept,
        )
