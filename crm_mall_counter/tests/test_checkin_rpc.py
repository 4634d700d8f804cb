# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A counter agent changes a visitor's email and consent through the check-in,
and nothing else of a partner: through the real external API (/jsonrpc)."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import execute_kw

from .common import shift_now

PASSWORD = "checkin-rpc-pass-1234"


@tagged("post_install", "-at_install")
class TestCheckinContactRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            "rpc_counter_agent",
            groups="crm_mall_counter.group_counter_agent",
            password=PASSWORD,
        )
        cls.counter = cls.env["crm.mall.counter"].create(
            {"name": "RPC desk", "code": "RPC"}
        )
        shift_now(cls.agent, cls.counter, hours=2)
        cls.visitor = (
            cls.env["crm.mall.visit"]
            .with_user(cls.agent)
            .checkin("09124445566", name="Known Visitor", counter_id=cls.counter.id)
            .partner_id
        )

    def execute(self, model, method, *args, **kwargs):
        """object.execute_kw as the agent: (result, error name)."""
        return execute_kw(self, self.agent, PASSWORD, model, method, args, kwargs)

    def snapshot(self):
        self.env.invalidate_all()
        fields_ = ("name", "email", "phone", "crm_mall_phone", "street", "vat")
        fields_ += ("crm_mall_contact_consent", "crm_mall_contact_consent_date")
        return self.visitor.read(fields_)[0]

    def test_agent_sets_email_and_consent_through_the_checkin_only(self):
        _result, error = self.execute(
            "crm.mall.visit",
            "checkin",
            "0912 444 5566",
            name="Renamed Visitor",
            counter_id=self.counter.id,
            email="known@example.com",
            consent=True,
        )
        self.assertIsNone(error)
        after = self.snapshot()
        self.assertEqual(after["email"], "known@example.com")
        self.assertTrue(after["crm_mall_contact_consent"])
        self.assertTrue(after["crm_mall_contact_consent_date"])
        # the check-in names new visitors only: a known one keeps their name
        self.assertEqual(after["name"], "Known Visitor")
        forged = (
            {"name": "Forged"},
            {"email": "forged@example.com"},
            {"crm_mall_contact_consent": False},
            {"crm_mall_contact_consent_date": "2020-01-01 00:00:00"},
            {"phone": "+441234567890"},
            {"crm_mall_phone": "+989120000000"},
            {"street": "Forged street"},
            {"vat": "FORGED"},
        )
        for vals in forged:
            with self.subTest(vals=vals):
                before = self.snapshot()
                _result, error = self.execute(
                    "res.partner", "write", [self.visitor.id], vals
                )
                self.assertEqual(error, "odoo.exceptions.AccessError")
                self.assertEqual(self.snapshot(), before)
        _result, error = self.execute(
            "res.partner", "create", [{"name": "Forged partner"}]
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")

    def test_default_keys_do_not_fill_a_new_visitor(self):
        """The check-in creates a partner with sudo: a caller's default_<field>
        context keys must not set anything else than phone and name."""
        context = {
            "default_vat": "FORGED",
            "default_comment": "FORGED",
            "default_email": "forged@example.com",
            "default_crm_mall_contact_consent": True,
            "default_is_company": True,
        }
        result, error = self.execute(
            "crm.mall.visit",
            "checkin",
            "09124447788",
            name="New Visitor",
            counter_id=self.counter.id,
            context=context,
        )
        self.assertIsNone(error)
        self.env.invalidate_all()
        partner = self.env["crm.mall.visit"].browse(result).partner_id
        self.assertEqual(partner.name, "New Visitor")
        self.assertFalse(partner.vat or partner.comment or partner.email)
        self.assertFalse(partner.crm_mall_contact_consent or partner.is_company)

    def test_bad_email_over_rpc_changes_nothing(self):
        before = self.snapshot()
        for email in ("not-an-email", "a@b.com; c@d.com", 12):
            with self.subTest(email=email):
                _result, error = self.execute(
                    "crm.mall.visit",
                    "checkin",
                    "09124445566",
                    counter_id=self.counter.id,
                    email=email,
                )
                self.assertEqual(error, "odoo.exceptions.UserError")
                self.assertEqual(self.snapshot(), before)

    def test_the_screen_over_rpc(self):
        """The screen's two methods: a complaint registered with its
        reference; wrong input a UserError, nothing created."""
        screen, error = self.execute(
            "crm.mall.checkin", "screen_lookup", "09124445566", "escalator"
        )
        self.assertIsNone(error)
        self.assertEqual(screen["visitor"]["id"], self.visitor.id)
        self.assertEqual(screen["queue"][0]["visitor"], "Known Visitor")
        result, error = self.execute(
            "crm.mall.checkin",
            "screen_register",
            "09124445566",
            "complaint",
            "The escalator stopped",
            email="known@example.com",
            consent=True,
        )
        self.assertIsNone(error)
        self.assertTrue(result["reference"])
        self.assertEqual(self.snapshot()["email"], "known@example.com")
        Subject = self.env["crm.mall.subject"]
        count = Subject.search_count([])
        for args in (
            ("09124445566", "complaint", ""),
            ("09124445566", ["complaint"], "x"),
            ({"phone": 1}, "complaint", "x"),
        ):
            with self.subTest(args=args):
                _result, error = self.execute(
                    "crm.mall.checkin", "screen_register", *args
                )
                self.assertEqual(error, "odoo.exceptions.UserError")
        for args in ((42,), ("0912", ["x"])):
            with self.subTest(args=args):
                _result, error = self.execute(
                    "crm.mall.checkin", "screen_lookup", *args
                )
                self.assertEqual(error, "odoo.exceptions.UserError")
        self.assertEqual(Subject.search_count([]), count)
