# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An integrity result cannot be forged (issue #25, item 4).

After a real tampering (an SQL update of a register row), a complaint manager
tries every call of the real HTTP API to get a report saying "Intact": writing
the result, the breaks or the heads of a check, creating a check or a break or
head row, deleting the breaks, printing a forged or unchecked check through
``/report/html``, ``/report/pdf`` and ``/report/download``. Each write is
refused and re-read unchanged; each printout says what the server finds.
"""

import json
from contextlib import closing
from datetime import timedelta
from urllib.parse import quote

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import MANAGER, execute_kw

PASSWORD = "integrity-pass-1234"
REPORT = "crm_iso_complaints.report_integrity_check"
CHECK = "crm.iso.integrity.check"
REFUSALS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.ValidationError",
}


@tagged("post_install", "-at_install")
class TestIntegrityRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "integrity_manager", groups=MANAGER, password=PASSWORD
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.password = PASSWORD
        cls.company = cls.manager.company_id
        partner = cls.env["res.partner"].create({"name": "Integrity customer"})
        cls.env["helpdesk.ticket"].with_user(cls.manager).create(
            [
                {
                    "name": f"Integrity complaint {n}",
                    "description": "<p>x</p>",
                    "is_complaint": True,
                    "partner_id": partner.id,
                }
                for n in range(2)
            ]
        )
        events = cls.env["crm.iso.event"].search(
            [("company_id", "=", cls.company.id)], order="sequence"
        )
        cls.tampered = events[-2]
        cls.head = events[-1]
        # the tampering: a row changed behind the ORM
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE crm_iso_event SET payload = %s WHERE id = %s",
                '{"to": "closed"}',
                cls.tampered.id,
            )
        )
        cls.env.invalidate_all()
        cls.keys = {
            user.id: cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "integrity", fields.Datetime.now() + timedelta(hours=2))
            for user in (cls.manager, cls.admin)
        }

    # ------------------------------------------------------------ the wire
    def rpc(self, route, user, model, method, ids=None, vals=None):
        """``model.method`` as ``user`` through /jsonrpc or /json/2: (result,
        error name or None)."""
        if route == "jsonrpc":
            args = [ids] if ids is not None else []
            args += [vals] if vals is not None else []
            return execute_kw(self, user, PASSWORD, model, method, args)
        body = {}
        if ids is not None:
            body["ids"] = ids
        if vals is not None:
            body["vals" if method == "write" else "vals_list"] = vals
        key = self.keys[user.id]
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/json/2/{model}/{method}",
                json=body,
                headers={"Authorization": f"Bearer {key}"},
            )
        if response.status_code == 200:
            return response.json(), None
        return None, response.json().get("name")

    def result_of(self, check):
        """The check as stored, as a report would print it."""
        self.env.invalidate_all()
        check = check.sudo()
        return (
            check.state,
            check.checked_count,
            check.checked_uid,
            sorted(check.break_ids.mapped(lambda b: (b.kind, b.sequence))),
            sorted(check.head_ids.mapped(lambda h: (h.sequence, h.hash))),
        )

    def printed(self, check, query="", converter="html"):
        """The HTML printout of ``check`` as the logged-in manager."""
        response = self.url_open(f"/report/{converter}/{REPORT}/{check.id}{query}")
        self.assertEqual(response.status_code, 200, response.text[:300])
        return response.text

    def assertSaysBroken(self, html):
        self.assertIn("Breaks found", html)
        self.assertIn("Row changed", html)
        self.assertNotIn("Intact", html)
        self.assertNotIn("FORGED", html)

    def new_check(self):
        result, error = self.rpc("jsonrpc", self.manager, CHECK, "action_open")
        self.assertIsNone(error)
        return self.env[CHECK].browse(result["res_id"])

    # ------------------------------------------------------------ the tests
    def test_the_check_finds_the_tampering(self):
        check = self.new_check()
        state, count, user, breaks, heads = self.result_of(check)
        self.assertEqual((state, user), ("broken", self.manager))
        self.assertIn(("altered", self.tampered.sequence), breaks)
        self.assertIn((self.head.sequence, self.head.hash), heads)
        self.assertGreaterEqual(count, 2)
        self.authenticate(self.manager.login, PASSWORD)
        self.assertSaysBroken(self.printed(check))

    def test_no_call_forges_an_intact_result(self):
        check = self.new_check()
        genuine = self.result_of(check)
        fake_head = {"company_id": self.company.id, "sequence": 1, "hash": "FORGED"}
        forged_break = dict(fake_head, kind="altered", record_ref="FORGED")
        writes = [
            {
                "state": "intact",
                "break_ids": [(5, 0, 0)],
                "head_ids": [(5, 0, 0), (0, 0, fake_head)],
            },
            {"state": "intact"},
            {"break_ids": [(5, 0, 0)]},
            {"break_ids": [(2, check.break_ids[:1].id)]},
            {"break_ids": [(1, check.break_ids[:1].id, {"kind": "inserted"})]},
            {"head_ids": [(1, check.head_ids[:1].id, {"hash": "FORGED"})]},
            {"head_ids": [(0, 0, fake_head)]},
            {"checked_count": 0},
            {"checked_date": "2020-01-01 00:00:00"},
            {"checked_uid": self.admin.id},
        ]
        holes = []
        for route in ("jsonrpc", "json2"):
            for user in (self.manager, self.admin):
                calls = [(CHECK, "write", [check.id], vals) for vals in writes]
                calls += [
                    (CHECK, "create", None, [{"state": "intact"}]),
                    (CHECK, "create", None, [{"head_ids": [(0, 0, fake_head)]}]),
                    (CHECK, "create", None, [{"checked_date": "2020-01-01"}]),
                    (CHECK, "unlink", [check.id], None),
                ]
                for model in ("crm.iso.integrity.break", "crm.iso.integrity.head"):
                    rows = check.sudo()[
                        "break_ids" if "break" in model else "head_ids"
                    ].ids
                    vals = forged_break if "break" in model else fake_head
                    calls += [
                        (model, "create", None, [{**vals, "check_id": check.id}]),
                        (model, "write", rows, {"hash": "FORGED"})
                        if "head" in model
                        else (model, "write", rows, {"kind": "inserted"}),
                        (model, "unlink", rows, None),
                    ]
                for model, method, ids, vals in calls:
                    if route == "jsonrpc" and method == "create":
                        vals = vals[0]
                    with closing(self.env.cr.savepoint()):
                        _result, error = self.rpc(route, user, model, method, ids, vals)
                        after = self.result_of(check)
                    label = f"{route} {model}.{method}({vals}) as {user.login}"
                    if error not in REFUSALS:
                        holes.append(f"{label}: {error or 'ACCEPTED'}")
                    if after != genuine:
                        holes.append(f"{label}: the result became {after}")
        self.assertFalse(holes, "\n".join(holes))

    def test_no_printout_says_intact(self):
        checked = self.new_check()
        # a check whose companies were changed: its result no longer holds
        changed = self.new_check()
        other = self.env["res.company"].create({"name": "Integrity second company"})
        self.manager.company_ids |= other
        result, error = self.rpc(
            "jsonrpc",
            self.manager,
            CHECK,
            "write",
            [changed.id],
            {"company_ids": [(6, 0, (self.company | other).ids)]},
        )
        self.assertEqual((result, error), (True, None))
        state, _count, _user, breaks, heads = self.result_of(changed)
        self.assertEqual((state, breaks, heads), ("draft", [], []))
        # a check created, never run
        unchecked, error = self.rpc("jsonrpc", self.manager, CHECK, "create", vals={})
        self.assertIsNone(error)
        unchecked = self.env[CHECK].browse(unchecked)
        self.authenticate(self.manager.login, PASSWORD)
        forged_runs = quote(
            json.dumps({"runs": {str(checked.id): {"state_label": "Intact"}}})
        )
        for check in (checked, changed, unchecked):
            self.assertSaysBroken(self.printed(check))
            self.assertSaysBroken(self.printed(check, f"?options={forged_runs}"))
            self.assertSaysBroken(
                self.printed(check, f"?context={quote(json.dumps({'tz': 'UTC'}))}")
            )
            # the PDF: made of that HTML (which tests get instead), and a PDF
            self.assertSaysBroken(self.printed(check, converter="pdf"))
            force = quote(json.dumps({"force_report_rendering": True}))
            pdf = self.url_open(f"/report/pdf/{REPORT}/{check.id}?context={force}")
            self.assertEqual(pdf.status_code, 200)
            self.assertTrue(pdf.content.startswith(b"%PDF"))
            # the web client's Print: the PDF route (its HTML, in tests)
            data = json.dumps([f"/report/pdf/{REPORT}/{check.id}", "qweb-pdf"])
            download = self.url_open(f"/report/download?data={quote(data)}")
            self.assertEqual(download.status_code, 200)
            self.assertSaysBroken(download.text)
        # a check that does not exist: an empty printout, not an error
        gone = self.url_open(f"/report/html/{REPORT}/{unchecked.id + 1000000}")
        self.assertEqual(gone.status_code, 200)
        self.assertNotIn("Intact", gone.text)
        # the stored run of the printed checks is untouched by printing
        self.assertEqual(self.result_of(unchecked)[0], "draft")
