# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The answer library: OCA knowledge pages under the counter answers' category."""

import importlib.util
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import NOW, MallCase

MANAGER = "crm_mall_counter.group_mall_manager"
MIGRATIONS = Path(__file__).parents[1] / "migrations" / "19.0.2.0.0"


def migration(name):
    spec = importlib.util.spec_from_file_location(name, MIGRATIONS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestAnswerLibrary(MallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "m_answers_manager", groups=MANAGER)
        cls.category = cls.env.ref("crm_mall_counter.page_category_answers")
        Page = cls.env["document.page"].with_user(cls.manager)
        cls.prayer = Page.create(
            {
                "name": "Prayer room",
                "parent_id": cls.category.id,
                "crm_mall_keywords": "namaz prayer",
                "draft_name": "1.0",
                "content": "<p>Floor 2, next to the food court</p>",
            }
        )
        cls.prayer.action_crm_mall_approve()
        cls.draft = Page.create(
            {
                "name": "Lost parking ticket",
                "parent_id": cls.category.id,
                "draft_name": "1.0",
                "content": "<p>Not decided yet</p>",
            }
        )

    def found(self, words, user):
        Page = self.env["document.page"].with_user(user)
        return [row[0] for row in Page.name_search(words)]

    def test_agents_find_approved_answers_by_keyword_and_text(self):
        self.assertTrue(self.prayer.crm_mall_library)
        self.assertIn(self.prayer.id, self.found("namaz", self.agent))
        self.assertIn(self.prayer.id, self.found("food court", self.agent))
        self.assertNotIn(self.draft.id, self.found("parking ticket", self.agent))
        self.assertIn(self.draft.id, self.found("parking ticket", self.manager))
        with self.assertRaises(AccessError):
            self.draft.with_user(self.agent).read(["content"])

    def test_only_mall_managers_publish(self):
        with self.assertRaises(AccessError):
            self.draft.with_user(self.agent).write({"crm_mall_approved": True})
        with self.assertRaises(AccessError):
            self.draft.with_user(self.agent).action_crm_mall_approve()
        editor = new_test_user(
            self.env, "m_answers_editor", groups="document_page.group_document_editor"
        )
        with self.assertRaises(AccessError):
            self.draft.with_user(editor).write({"crm_mall_approved": True})
        # a knowledge editor may improve an answer: it then waits for approval
        self.prayer.with_user(editor).content = "<p>Floor 3 now</p>"
        self.assertFalse(self.prayer.crm_mall_approved)
        self.assertEqual(len(self.prayer.history_ids), 2)

    def test_sub_categories_and_sanitized_content(self):
        Page = self.env["document.page"].with_user(self.manager)
        parking = Page.create(
            {"name": "Parking", "type": "category", "parent_id": self.category.id}
        )
        page = Page.create(
            {
                "name": "Electric cars",
                "parent_id": parking.id,
                "draft_name": "1.0",
                "content": "<p>Level -2</p><script>alert(1)</script>",
            }
        )
        self.assertTrue(page.crm_mall_library)
        self.assertNotIn("<script", page.content)
        # pages outside the library are document_page's own business
        with self.assertRaises(AccessError):
            Page.create({"name": "Not an answer", "draft_name": "1.0"})

    def test_answered_from_the_subject_and_the_checkin_screen(self):
        with freeze_time(NOW):
            visit = self.checkin()
            subject = self.subject(visit, "information", answer_page_id=self.prayer.id)
            self.assertIn("Floor 2", subject.answer_content)
            Checkin = self.env["crm.mall.checkin"].with_user(self.agent)
            with Form(Checkin) as wizard:
                wizard.phone = "09121234567"
                wizard.answer_page_id = self.prayer
                self.assertIn("Floor 2", wizard.answer_content)
        domain = Checkin._fields["answer_page_id"].domain
        self.assertIn("crm_mall_approved", domain)

    def test_answers_of_another_company_are_out_of_reach(self):
        company_b = self.env["res.company"].create({"name": "Mall B answers"})
        page_b = (
            self.env["document.page"]
            .with_company(company_b)
            .create(
                {
                    "name": "Prayer room in B",
                    "parent_id": self.category.id,
                    "crm_mall_keywords": "namaz",
                    "draft_name": "1.0",
                    "content": "<p>B</p>",
                    "crm_mall_approved": True,
                    "company_id": company_b.id,
                }
            )
        )
        self.assertNotIn(page_b.id, self.found("namaz", self.agent))
        with self.assertRaises(AccessError):
            page_b.with_user(self.agent).read(["name"])
        self.manager.company_ids |= company_b
        both = (self.env.company | company_b).ids
        Page = self.env["document.page"].with_user(self.manager)
        found = Page.with_context(allowed_company_ids=both).name_search("namaz")
        self.assertIn(page_b.id, [row[0] for row in found])

    def test_demo_answers_are_pages(self):
        for xmlid in ("answer_opening_hours", "answer_parking"):
            page = self.env.ref(f"crm_mall_counter.{xmlid}")
            self.assertEqual(page._name, "document.page")
            self.assertTrue(page.crm_mall_library and page.crm_mall_approved)
            # Persian counter staff read it in Persian, right to left
            self.assertIn('<section lang="fa-IR" dir="rtl">', page.content)
        self.assertNotIn("crm.mall.answer", self.env.registry)
        parking = self.env.ref("crm_mall_counter.answer_parking")
        self.assertIn(parking.id, self.found("پارکینگ", self.agent))
        self.assertIn("دو ساعت اول", parking.content)


@tagged("post_install", "-at_install")
class TestAnswerMigration(MallCase):
    """pre-answers.py and post-answers.py on an old answers table."""

    def test_old_answers_become_pages(self):
        cr = self.env.cr
        cr.execute(
            """
            CREATE TABLE crm_mall_answer (
                id serial PRIMARY KEY, name jsonb, keywords jsonb, answer jsonb,
                approved boolean, active boolean, company_id integer,
                create_uid integer, create_date timestamp
            );
            INSERT INTO crm_mall_answer
                (name, keywords, answer, approved, active, company_id, create_uid,
                 create_date)
            VALUES
                ('{"en_US": "Wi-Fi", "fa_IR": "وای فای"}',
                 '{"en_US": "wifi internet", "fa_IR": "اینترنت wifi"}',
                 '{"en_US": "<p>Network: Mall</p>", "fa_IR": "<p>شبکه: مال</p>"}',
                 true, true, 1, 1, '2025-01-02 10:00'),
                ('{"en_US": "Old"}', NULL, '{"en_US": "<p>Old</p>"}',
                 false, false, NULL, 1, '2025-01-03 10:00');
            INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
            SELECT 'crm_mall_counter', 'answer_wifi', 'crm.mall.answer', id, true
              FROM crm_mall_answer WHERE approved;
            """
        )
        migration("pre-answers").migrate(cr, "19.0.1.0.1")
        migration("post-answers").migrate(cr, "19.0.1.0.1")
        cr.execute("SELECT to_regclass('crm_mall_answer')")
        self.assertIsNone(cr.fetchone()[0])
        wifi = self.env.ref("crm_mall_counter.answer_wifi")
        self.assertEqual(wifi._name, "document.page")
        self.assertEqual(wifi.name, "Wi-Fi")
        self.assertEqual(
            wifi.parent_id, self.env.ref("crm_mall_counter.page_category_answers")
        )
        self.assertTrue(wifi.crm_mall_approved)
        self.assertEqual(wifi.crm_mall_keywords, "wifi internet اینترنت")
        self.assertIn("Network: Mall", wifi.content)
        self.assertIn('lang="fa-IR"', wifi.content)
        self.assertIn("شبکه: مال", wifi.content)
        self.assertEqual(wifi.company_id.id, 1)
        old = (
            self.env["document.page"]
            .with_context(active_test=False)
            .search([("name", "=", "Old"), ("crm_mall_library", "=", True)])
        )
        self.assertTrue(old)
        self.assertFalse(old.active or old.crm_mall_approved)
        self.assertFalse(old.company_id)
