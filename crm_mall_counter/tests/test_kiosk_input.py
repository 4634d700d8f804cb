# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The kiosk through real HTTP: any input, its languages, its hashed tokens."""

import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import SQL, mute_logger

from .common import open_visits
from .test_kiosk_cockpit import KioskCase

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SUPERVISOR = "crm_mall_counter.group_counter_supervisor"


@tagged("post_install", "-at_install")
class TestKioskInput(HttpCase, KioskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.load_persian()
        cls.comment = cls.env["survey.question"].create(
            {
                "survey_id": cls.survey.id,
                "title": "Anything to add?",
                "question_type": "char_box",
            }
        )
        cls.visit = open_visits(
            cls.env,
            {"counter_id": cls.counter.id, "partner_id": cls.env.user.partner_id.id},
        )
        cls.visit.action_kiosk_survey()

    # ------------------------------------------------------------ helpers
    def post(self, answers, visit_token=None, token=None, csrf=True, language="en"):
        token = token or self.token
        data = {"language": language, **answers}
        if csrf:
            page = self.url_open(f"/kiosk/{token}?language={language}")
            data["csrf_token"] = CSRF.search(page.text).group(1)
        if visit_token is not False:
            data["visit_token"] = visit_token or self.visit.kiosk_token
        return self.url_open(f"/kiosk/{token}/submit", data=data)

    def responses(self):
        return self.env["survey.user_input"].search(
            [("survey_id", "=", self.survey.id)]
        )

    def assert_refused(self, response, message):
        """A kiosk page with a readable message, and nothing stored."""
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertIn('id="kiosk_error"', response.text)
        self.assertIn(message, response.text)
        self.assertNotIn("Traceback", response.text)
        self.assertFalse(self.responses())
        self.visit.invalidate_recordset()
        self.assertFalse(self.visit.kiosk_answered)

    # ------------------------------------------------------------ answers
    def test_nps_zero_is_an_answer(self):
        page = self.url_open(f"/kiosk/{self.token}?language=en")
        # every value of the scale can be posted, 0 included
        for value in range(11):
            self.assertIn(
                f'name="q_{self.nps.id}" value="{value}"', page.text, f"button {value}"
            )
        response = self.post({f"q_{self.nps.id}": "0"})
        self.assertIn("kiosk_thanks", response.text)
        line = self.responses().user_input_line_ids
        self.assertEqual((line.answer_type, line.value_scale), ("scale", 0))
        self.assertEqual(self.responses().crm_iso_nps, -100.0, "0 is a detractor")
        self.assertTrue(self.visit.kiosk_answered)

    def test_persian_and_arabic_indic_digits_are_digits(self):
        self.post({f"q_{self.nps.id}": "۷"})
        anonymous = self.post({f"q_{self.nps.id}": "١٠"}, visit_token=False)
        self.assertIn("kiosk_thanks", anonymous.text)
        self.assertEqual(
            sorted(self.responses().user_input_line_ids.mapped("value_scale")), [7, 10]
        )

    def test_text_is_kept_without_control_characters(self):
        self.post({f"q_{self.nps.id}": "9", f"q_{self.comment.id}": " a\x00b\x07c "})
        line = self.responses().user_input_line_ids.filtered(
            lambda l: l.question_id == self.comment
        )
        self.assertEqual(line.value_char_box, "abc")

    def test_too_long_text_is_refused_with_a_message(self):
        """100,000 characters get a sentence and store nothing (never cut)."""
        self.assert_refused(
            self.post({f"q_{self.nps.id}": "9", f"q_{self.comment.id}": "x" * 100000}),
            "the answer is too long (100000 characters, at most 255)",
        )
        fits = self.post({f"q_{self.nps.id}": "9", f"q_{self.comment.id}": "x" * 255})
        self.assertIn("kiosk_thanks", fits.text)

    def test_unusual_scale_values_are_refused_with_a_message(self):
        not_a_number = "please choose a whole number from 0 to 10"
        outside = "the answer is outside the scale"
        for raw, message in (
            ("²", not_a_number),
            ("7²", not_a_number),
            ("seven", not_a_number),
            ("4.5", not_a_number),
            ("1" * 30, outside),
            ("11", outside),
            ("-1", outside),
        ):
            with self.subTest(raw=raw):
                self.assert_refused(self.post({f"q_{self.nps.id}": raw}), message)

    def test_the_form_keeps_the_answers_of_a_refused_submission(self):
        response = self.post({f"q_{self.nps.id}": "11", f"q_{self.comment.id}": "Nice"})
        self.assertIn('value="Nice"', response.text)
        self.assertIn(self.visit.kiosk_token, response.text, "the visit is kept")

    def test_missing_mandatory_answer(self):
        self.nps.constr_mandatory = True
        self.assert_refused(
            self.post({f"q_{self.comment.id}": "No score"}),
            "Please answer “Would you recommend us?”.",
        )
        self.nps.constr_error_msg = "Your score, please."
        self.assert_refused(
            self.post({f"q_{self.comment.id}": "No score"}), "Your score, please."
        )

    def test_question_of_another_survey(self):
        other = self.env["survey.survey"].create({"title": "Another survey"})
        foreign = self.env["survey.question"].create(
            {"survey_id": other.id, "title": "Foreign", "question_type": "scale"}
        )
        self.assert_refused(
            self.post({f"q_{self.nps.id}": "8", f"q_{foreign.id}": "3"}),
            "This form does not match the current survey",
        )
        self.assert_refused(
            self.post({f"q_{self.nps.id}": "8", "q_abc": "3"}),
            "This form does not match the current survey",
        )

    def test_unknown_visit_token(self):
        self.assert_refused(
            self.post({f"q_{self.nps.id}": "8"}, visit_token="forged-visit-token"),
            "not valid at this counter",
        )
        page = self.url_open(f"/kiosk/{self.token}?visit=forged&language=en")
        self.assertIn("not valid at this counter", page.text)
        self.assertNotIn('value="forged"', page.text)

    def test_empty_body_and_no_answer(self):
        response = self.url_open(f"/kiosk/{self.token}/submit", method="POST")
        self.assert_refused(response, "This page had expired")
        self.assert_refused(
            self.post({}, csrf=False), "This page had expired"
        )  # no CSRF token: no 400, the kiosk page
        self.assert_refused(self.post({}), "Please answer at least one question")
        self.assert_refused(
            self.post({f"q_{self.nps.id}": "   "}),
            "Please answer at least one question",
        )

    # ------------------------------------------------------------ languages
    def test_english_on_a_persian_database_and_persian_digits(self):
        """The tablet is set to Persian, the browser too; the switch decides."""
        self.counter.company_id.partner_id.lang = "fa_IR"
        self.device.lang = "fa_IR"
        self.survey.with_context(lang="fa_IR").title = "بازدید شما چطور بود؟"
        self.nps.with_context(lang="fa_IR").title = "ما را به دیگران توصیه می‌کنید؟"
        headers = {"Accept-Language": "fa-IR,fa;q=0.9"}
        english = self.url_open(f"/kiosk/{self.token}?language=en", headers=headers)
        self.assertIn('dir="ltr"', english.text)
        self.assertIn("Would you recommend us?", english.text)
        self.assertIn("How was your visit?", english.text)
        self.assertIn(">Send</button>", english.text)
        self.assertNotIn("ثبت</button>", english.text)
        self.assertIn("<span>10</span>", english.text)
        persian = self.url_open(f"/kiosk/{self.token}", headers=headers)  # default
        self.assertIn('dir="rtl"', persian.text)
        self.assertIn("ما را به دیگران توصیه می‌کنید؟", persian.text)
        self.assertIn("بازدید شما چطور بود؟", persian.text)
        self.assertIn(">ثبت</button>", persian.text)
        for digits in ("۰", "۵", "۱۰"):
            self.assertIn(f"<span>{digits}</span>", persian.text)
        self.assertIn('value="10"', persian.text, "the posted value stays ASCII")
        today = persian.text.split('id="kiosk_today">')[1].split("<")[0]
        self.assertRegex(today, r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}$")
        # a message in the chosen language, Persian digits in it
        refused = self.post({f"q_{self.nps.id}": "²"}, language="fa")
        self.assertIn("لطفاً یک عدد صحیح از ۰ تا ۱۰ انتخاب کنید", refused.text)
        refused = self.post({f"q_{self.nps.id}": "²"}, language="en")
        self.assertIn("please choose a whole number from 0 to 10", refused.text)

    def test_idle_reset_and_thanks_refresh(self):
        page = self.url_open(f"/kiosk/{self.token}")
        self.assertIn(f'data-kiosk-start="/kiosk/{self.token}"', page.text)
        self.assertIn('data-kiosk-idle="90"', page.text)
        script = self.url_open("/crm_mall_counter/static/src/kiosk/kiosk_idle.js")
        self.assertEqual(script.status_code, 200)
        thanks = self.post({f"q_{self.nps.id}": "10"})
        self.assertIn(
            f'http-equiv="refresh" content="6; url=/kiosk/{self.token}"', thanks.text
        )


@tagged("post_install", "-at_install")
class TestKioskTokens(HttpCase, KioskCase):
    def test_no_plaintext_token_in_the_database(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM crm_mall_kiosk_device AS d "
                "WHERE row_to_json(d)::text LIKE %s",
                f"%{self.token}%",
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertNotIn("token", self.env["crm.mall.kiosk.device"]._fields)
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'crm_mall_kiosk_device' AND column_name = 'token'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "no plaintext column")
        self.assertEqual(
            self.env["crm.mall.kiosk.device"]._from_token(self.token), self.device
        )

    def test_the_wizard_shows_the_url_once(self):
        supervisor = new_test_user(self.env, "kiosk_sup", groups=SUPERVISOR)
        self.counter.supervisor_ids = supervisor
        device = self.device.with_user(supervisor)
        action = device.action_new_token()
        self.assertEqual(action["res_model"], "crm.mall.kiosk.token.wizard")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(supervisor)
            .with_context(**action["context"])
        )
        url = wizard.kiosk_url
        token = url.rsplit("/kiosk/", 1)[1]
        self.assertTrue(url.startswith(self.device.get_base_url()))
        self.assertEqual(self.url_open(f"/kiosk/{token}").status_code, 200)
        # even saved, the dialog keeps no URL; the device shows none either
        self.assertFalse(wizard.save().kiosk_url)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM crm_mall_kiosk_token_wizard AS w "
                "WHERE row_to_json(w)::text LIKE %s",
                f"%{token}%",
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        shown = device.read()[0]
        self.assertNotIn(token, str(shown))
        self.assertNotIn("token_hash", shown, "nobody reads the hash")
        self.assertTrue(shown["has_token"])
        # the old link stops at once
        refused = self.url_open(f"/kiosk/{self.token}")
        self.assertEqual(refused.status_code, 404)
        self.assertIn("This kiosk link is not valid", refused.text)
        self.assertNotIn("Traceback", refused.text)

    def test_revoked_and_renewed_tokens_are_refused(self):
        self.device.action_revoke()
        for path in (f"/kiosk/{self.token}", "/kiosk/x", "/kiosk/" + "a" * 500):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertIn("This kiosk link is not valid", response.text)
        page = self.url_open(f"/kiosk/{self.token_b}")
        response = self.url_open(
            f"/kiosk/{self.token}/submit",
            data={
                "csrf_token": CSRF.search(page.text).group(1),
                f"q_{self.nps.id}": "9",
            },
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(
            self.env["survey.user_input"].search([("survey_id", "=", self.survey.id)])
        )
        renewed = self.new_link(self.device)
        self.assertFalse(self.device.revoked)
        self.assertEqual(self.url_open(f"/kiosk/{renewed}").status_code, 200)
        self.assertEqual(self.url_open(f"/kiosk/{self.token}").status_code, 404)

    def test_hash_and_revoked_are_protected(self):
        manager = new_test_user(
            self.env, "kiosk_boss", groups="crm_mall_counter.group_mall_manager"
        )
        device = self.device.with_user(manager)
        with self.assertRaises(UserError):
            device.write({"revoked": True})
        with self.assertRaises(UserError):
            device.write({"token_hash": "0" * 64})
        with self.assertRaises(AccessError):
            device.read(["token_hash"])  # nobody reads it through the API
        with self.assertRaises(UserError):
            self.device.sudo().write({"token_hash": "0" * 64})
        with self.assertRaises(UserError):
            self.env["crm.mall.kiosk.device"].create(
                {"name": "Forged", "counter_id": self.counter.id, "revoked": True}
            )

    def test_supervisors_see_only_their_counters_devices(self):
        supervisor = new_test_user(self.env, "kiosk_sup_a", groups=SUPERVISOR)
        self.counter.supervisor_ids = supervisor
        self.authenticate("kiosk_sup_a", "kiosk_sup_a")

        def call(method, *args):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "crm.mall.kiosk.device",
                    "method": method,
                    "args": list(args),
                    "kwargs": {},
                },
            )

        mine = call("read", [self.device.id], ["name"])
        self.assertEqual(mine[0]["name"], "Tablet A")
        self.assertEqual(
            call("search", []), self.device.ids, "only the device of counter A"
        )
        for method, args in (
            ("read", ([self.device_b.id], ["name"])),
            ("write", ([self.device_b.id], {"name": "Mine now"})),
            ("action_new_token", ([self.device_b.id],)),
            ("action_revoke", ([self.device_b.id],)),
        ):
            with self.subTest(method=method), mute_logger("odoo.http"):
                with self.assertRaises(JsonRpcException) as caught:
                    call(method, *args)
                self.assertEqual(
                    caught.exception.args[0], "odoo.exceptions.AccessError"
                )
        self.assertEqual(self.device_b.name, "Tablet B")
        self.assertFalse(self.device_b.revoked)
        # a manager sees every device of the company
        new_test_user(
            self.env, "kiosk_boss_b", groups="crm_mall_counter.group_mall_manager"
        )
        self.authenticate("kiosk_boss_b", "kiosk_boss_b")
        self.assertEqual(
            sorted(call("search", [("id", "in", (self.device | self.device_b).ids)])),
            sorted((self.device | self.device_b).ids),
        )

    def test_new_kiosk_link_dialog_in_the_browser(self):
        """A supervisor presses New kiosk link: the dialog shows the URL once."""
        supervisor = new_test_user(self.env, "kiosk_sup_ui", groups=SUPERVISOR)
        self.counter.supervisor_ids = supervisor
        code = """
            const wait = (test) => new Promise((resolve, reject) => {
                let tries = 0;
                const timer = setInterval(() => {
                    const found = test();
                    if (found) {
                        clearInterval(timer);
                        resolve(found);
                    } else if (++tries > 300) {
                        clearInterval(timer);
                        reject(new Error("timeout"));
                    }
                }, 50);
            });
            (async () => {
                const button = await wait(() => [
                    ...document.querySelectorAll('button[name="action_new_token"]'),
                ].find((b) => b.offsetParent));
                button.click();
                const ok = await wait(() =>
                    document.querySelector(".modal-footer .btn-primary"));
                ok.click();
                const dialog = await wait(() => [
                    ...document.querySelectorAll(".o_dialog"),
                ].find((d) => d.textContent.includes("/kiosk/")));
                const url = dialog.querySelector(".o_field_CopyClipboardChar");
                if (url && dialog.textContent.includes("cannot be shown again")) {
                    console.log("test successful");
                } else {
                    console.error("no URL or no warning in the dialog");
                }
            })().catch((error) => console.error(error.message));
        """
        self.browser_js(
            f"/odoo/action-crm_mall_counter.action_crm_mall_kiosks/{self.device.id}",
            code,
            ready="odoo.isReady === true",
            login="kiosk_sup_ui",
        )
        self.assertEqual(self.url_open(f"/kiosk/{self.token}").status_code, 404)
