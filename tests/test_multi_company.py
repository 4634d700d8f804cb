# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two companies: nothing of one is read, written or counted from the other."""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

GROUPS = (
    "crm_iso_complaints.group_complaint_manager,"
    "crm_iso_surveys.group_survey_manager,"
    "crm_mall_counter.group_mall_manager"
)


@tagged("post_install", "-at_install")
class TestMultiCompany(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.ref("base.main_company")
        cls.company_b = cls.env["res.company"].create({"name": "Mall B"})
        cls.user_a = new_test_user(
            cls.env, "mc_manager_a", groups=GROUPS, company_id=cls.company_a.id
        )
        cls.user_a.company_ids = cls.company_a
        cls.env.user.company_ids |= cls.company_b
        env_b = cls.env(context={"allowed_company_ids": cls.company_b.ids})
        partner = cls.env["res.partner"].create({"name": "Customer of B"})
        cls.complaint_b = (
            env_b["helpdesk.ticket"]
            .with_company(cls.company_b)
            .create(
                {
                    "name": "B complaint",
                    "description": "<p>x</p>",
                    "is_complaint": True,
                    "partner_id": partner.id,
                    "company_id": cls.company_b.id,
                }
            )
        )
        cls.counter_b = env_b["crm.mall.counter"].create(
            {"name": "B desk", "code": "B1", "company_id": cls.company_b.id}
        )
        Visit = env_b["crm.mall.visit"]
        with Visit._crm_iso_unlocked():  # as the check-in opens it
            cls.visit_b = Visit.create(
                {
                    "counter_id": cls.counter_b.id,
                    "partner_id": partner.id,
                    "company_id": cls.company_b.id,
                }
            )
        survey = cls.env["survey.survey"].create({"title": "B survey"})
        cls.plan_b = env_b["crm.iso.measurement.plan"].create(
            {
                "name": "B plan",
                "survey_ids": [(6, 0, survey.ids)],
                "company_id": cls.company_b.id,
            }
        )
        response = cls.env["survey.user_input"].create(
            {"survey_id": survey.id, "crm_iso_plan_id": cls.plan_b.id}
        )
        response._mark_done()
        cls.env.flush_all()

    def test_records_of_the_other_company_are_out_of_reach(self):
        for record in (self.complaint_b, self.counter_b, self.visit_b, self.plan_b):
            with self.subTest(model=record._name):
                mine = self.env[record._name].with_user(self.user_a).browse(record.id)
                self.assertFalse(mine.search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    mine.read(["display_name"])
                with self.assertRaises(AccessError):
                    mine.check_access("write")

    def test_kpis_do_not_count_the_other_company(self):
        Complaints = self.env["crm.iso.complaint.report"].with_user(self.user_a)
        self.assertNotIn(
            self.complaint_b.id, Complaints.search([]).mapped("ticket_id").ids
        )
        keys = [row["key"] for row in Complaints.get_kpis([], "company_id")]
        self.assertNotIn(self.company_b.id, keys)
        Satisfaction = self.env["crm.iso.satisfaction.report"].with_user(self.user_a)
        keys = [row["key"] for row in Satisfaction.get_kpis([], "plan_id")]
        self.assertNotIn(self.plan_b.id, keys)
        cockpit = self.env["crm.mall.cockpit"].with_user(self.user_a).create({})
        self.assertNotIn(self.counter_b, cockpit.counter_line_ids.mapped("counter_id"))


# shared reference data of every company (no company of their own)
SHARED = {
    "crm.iso.dr.method",  # the ISO 10003 methods: a fixed catalogue
    "crm.mall.shift.template",  # morning / evening: the same in every mall
}


@tagged("post_install", "-at_install")
class TestEveryModelHasItsWall(TransactionCase):
    def test_a_company_rule_on_every_model(self):
        """Every stored model of the suite is behind a global company rule (on its
        own company or its parent's), or is declared shared reference data."""
        Rule = self.env["ir.rule"].sudo()
        missing = []
        for name in self.env.registry:
            model = self.env[name]
            if (
                not name.startswith(("crm.iso.", "crm.mall."))
                or model._abstract
                or model._transient
                or not model._auto
                or name in SHARED
            ):
                continue
            rules = Rule.search(
                [("model_id.model", "=", name), ("global", "=", True)]
            ).filtered(lambda r: "company_ids" in (r.domain_force or ""))
            if not rules:
                missing.append(name)
        self.assertEqual(missing, [], "models without a company rule")

    def test_company_bound_relations_are_checked(self):
        """A relation from a company's record to a company-bound model checks
        the company (check_company), but for users and shared catalogues."""
        unchecked, swept = [], set()
        for name in self.env.registry:
            model = self.env[name]
            if not name.startswith(("crm.iso.", "crm.mall.")) or model._abstract:
                continue
            if "company_id" not in model._fields or not model._check_company_auto:
                continue
            for field in model._fields.values():
                if (
                    field.type == "many2one"
                    and field.store
                    and not field.related
                    and not field.compute
                    and field.comodel_name.startswith(("crm.iso.", "crm.mall."))
                    and "company_id" in self.env[field.comodel_name]._fields
                ):
                    swept.add(f"{name}.{field.name}")
                    if not field.check_company:
                        unchecked.append(f"{name}.{field.name}")
        self.assertEqual(unchecked, [])
        # the sweep saw the relations it is about (an empty sweep proves nothing)
        self.assertIn("crm.mall.lost.item.counter_id", swept)
