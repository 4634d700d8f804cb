# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The protected fields of every guarded model, through the real external API.

A table built at run time from each model's ``_crm_iso_protected`` and
``_crm_iso_write_once``: every field, forged by ``create`` and ``write`` through
``/jsonrpc`` (``object.execute_kw``), with and without the context keys a
client could hope unlock it, and with ``default_<field>`` context keys; as a user
of every group that may create or write the model, and as the administrator.
Every call must be refused (or, for ``default_<field>``, ignored), and the
record re-read from the database must be unchanged. A sample of the table goes
through ``/json/2`` with API keys too.
"""

import json
import logging
import time
from collections import Counter
from contextlib import closing
from datetime import timedelta
from itertools import count

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.crm_mall_counter.tests.common import SUITE_GROUPS

_logger = logging.getLogger(__name__)

PASSWORD = "trust-pass-1234"
ADMIN_PASSWORD = "admin-pass"
GROUPS = SUITE_GROUPS
GUARDED = (
    "helpdesk.ticket",
    "crm.iso.dispute",
    "crm.iso.conduct.snapshot",
    "crm.iso.escalation",
    "crm.iso.complaint.pause",
    "crm.iso.event",
    # the suite's actions are OCA actions: one fixture per origin
    "mgmtsystem.action",
    "mgmtsystem.action:satisfaction",
    "crm.mall.subject",
    "crm.mall.qc.inspection",
    "mgmtsystem.action:qc",
    "crm.mall.visit",
    "crm.mall.lost.item",
    "crm.iso.review.input",
    "crm.iso.survey.invitation",
    # the ISO 10002 audit of the complaints-handling process (on OCA's audit)
    "mgmtsystem.audit",
    "mgmtsystem.verification.line",
    "mgmtsystem.nonconformity",
)
FORGED_DATETIME = "2020-01-01 00:00:00"
# models no client creates with ``create``: a method of theirs opens the record
# (a visit: the check-in, which draws its queue number)
OPENED_BY_METHOD = ("crm.mall.visit",)


def model_of(key):
    """The model of a GUARDED key (``model`` or ``model:fixture``)."""
    return key.partition(":")[0]


FORGED_DATE = "2020-01-01"
FORGED_TEXT = "FORGED"
# what a client could hope turns a guard off (crm_iso_new_user_id: the admin's id).
# The crm_iso_* keys once unlocked a guard or set the clock; no code reads them
# now, and a regression would read one again: each case re-reads the record
# (check_write, check_create), so they stay. Odoo reads the last three.
CONTEXT_KEYS = {
    "crm_iso_transition": True,
    "crm_iso_now": FORGED_DATETIME,
    "crm_iso_today": FORGED_DATE,
    "crm_iso_new_user_id": None,
    "crm_iso_archive_reason": True,
    "install_mode": True,
    "import_file": True,
    "tracking_disable": True,
}
REFUSALS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.ValidationError",
}
X2MANY = ("one2many", "many2many")
NUMBERS = ("integer", "float", "monetary", "many2one_reference")
QUIET = ("odoo.http", "odoo.addons.rpc.controllers.jsonrpc", "odoo.sql_db")


@tagged("post_install", "-at_install")
class TrustRpcCase(HttpCase):
    """The fixtures of every guarded model, a user of each group and the wire
    (``/jsonrpc``, ``/json/2``): the base of the trust tables."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = get_db_name()
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.password = ADMIN_PASSWORD
        cls.passwords = {cls.admin.id: ADMIN_PASSWORD}
        cls.group_users = []
        for group in GROUPS:
            user = new_test_user(
                cls.env,
                f"trust_{group.split('.')[1].removeprefix('group_')}",
                groups=group,
                password=PASSWORD,
            )
            cls.group_users.append(user)
            cls.passwords[user.id] = PASSWORD
        by_group = dict(zip(GROUPS, cls.group_users, strict=True))
        cls.officer = by_group["crm_iso_complaints.group_complaint_user"]
        cls.dr_officer = by_group["crm_iso_complaints.group_dispute_officer"]
        cls.manager = by_group["crm_iso_complaints.group_complaint_manager"]
        cls.analyst = by_group["crm_iso_surveys.group_survey_analyst"]
        cls.survey_manager = by_group["crm_iso_surveys.group_survey_manager"]
        cls.agent = by_group["crm_mall_counter.group_counter_agent"]
        cls.inspector = by_group["crm_mall_counter.group_qc_inspector"]
        cls.mall_manager = by_group["crm_mall_counter.group_mall_manager"]
        # a second company: a company_id has another value to be forged to
        if cls.env["res.company"].search_count([]) < 2:
            cls.env["res.company"].create({"name": "Trust second company"})
        cls._complaint_fixtures()
        cls._survey_fixtures()
        cls._mall_fixtures()
        cls._review_fixtures()
        cls._audit_fixtures()

    # ------------------------------------------------------------ fixtures
    @classmethod
    def _new_complaint(cls, name, user=None):
        return (
            cls.env["helpdesk.ticket"]
            .with_user(user or cls.manager)
            .create(
                {
                    "name": name,
                    "description": "<p>The escalator stopped with us on it.</p>",
                    "is_complaint": True,
                    "partner_id": cls.partner.id,
                }
            )
        )

    @classmethod
    def _rejected_complaint(cls, name):
        """A complaint whose decision the complainant rejected: disputable."""
        complaint = cls._new_complaint(name).with_user(cls.manager)
        complaint.action_acknowledge()
        complaint.write(
            {
                "complaint_severity": "2",
                "complaint_impact": "1",
                "is_eligible_complaint": True,
            }
        )
        complaint.action_assess()
        complaint.action_start_investigation()
        complaint.write(
            {"complaint_remedy": "apology", "complaint_response": "<p>Sorry.</p>"}
        )
        complaint.action_propose_response()
        complaint.with_user(cls.officer)._crm_iso_customer_reject("Not enough")
        return complaint.with_env(cls.env)

    @classmethod
    def _complaint_fixtures(cls):
        cls.partner = cls.env["res.partner"].create(
            {"name": "Trust customer", "email": "trust.customer@example.com"}
        )
        cls.complaint = cls._new_complaint("Trust complaint").with_env(cls.env)
        # another complaint: clocks paused and escalated (logs of its own)
        cls.paused = cls._new_complaint("Trust paused complaint")
        cls.paused.with_user(cls.officer)._crm_iso_pause_with_reason(
            "Waiting for papers"
        )
        cls.paused = cls.paused.with_env(cls.env)
        cls.paused.sudo()._crm_iso_escalate()
        if not cls.paused.complaint_escalation_ids:
            Escalation = cls.env["crm.iso.escalation"].sudo()
            with Escalation._crm_iso_unlocked():
                Escalation.create(
                    {
                        "ticket_id": cls.paused.id,
                        "team_id": cls.paused.team_id.id,
                        "company_id": cls.paused.company_id.id,
                        "level": 1,
                        "user_id": cls.manager.id,
                        "deadline": "acknowledgement",
                    }
                )
        mediation = cls.env.ref("crm_iso_complaints.dr_method_mediation")
        provider = cls.env["crm.iso.dr.provider"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Mediator"}).id,
                "method_ids": [(6, 0, mediation.ids)],
            }
        )
        dispute = (
            cls.env["crm.iso.dispute"]
            .with_user(cls.dr_officer)
            .create(
                {
                    "complaint_id": cls._rejected_complaint("Trust disputed").id,
                    "provider_id": provider.id,
                    "method_id": mediation.id,
                }
            )
        )
        # disputable, without a case: the complaint of the cases to be created
        free = cls._rejected_complaint("Trust disputable")
        Commitment = cls.env["crm.iso.conduct.commitment"]
        snapshot = Commitment._cron_snapshot_periods(
            fields.Date.today() + relativedelta(years=2)
        )[:1] or cls.env["crm.iso.conduct.snapshot"].search([], limit=1)
        event = cls.env["crm.iso.event"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", cls.complaint.id)],
            limit=1,
        )
        action = (
            cls.env["mgmtsystem.action"]
            .with_user(cls.officer)
            .create(
                {
                    "name": "Trust action",
                    "crm_iso_origin": "complaint",
                    "crm_iso_complaint_ids": [(6, 0, cls.complaint.ids)],
                }
            )
        )
        cls.fixtures = {
            "helpdesk.ticket": cls.complaint,
            "crm.iso.dispute": dispute,
            "crm.iso.conduct.snapshot": snapshot,
            "crm.iso.escalation": cls.paused.complaint_escalation_ids[:1],
            "crm.iso.complaint.pause": cls.paused.complaint_pause_ids[:1],
            "crm.iso.event": event,
            "mgmtsystem.action": action,
        }
        cls.create_vals = {
            "helpdesk.ticket": {
                "name": "Forged complaint",
                "description": "<p>x</p>",
                "is_complaint": True,
                "partner_id": cls.partner.id,
            },
            "crm.iso.dispute": {
                "complaint_id": free.id,
                "provider_id": provider.id,
                "method_id": mediation.id,
            },
            # created by server code only: no value a client may give
            "crm.iso.conduct.snapshot": {},
            "crm.iso.escalation": {},
            "crm.iso.complaint.pause": {},
            "crm.iso.event": {},
            "mgmtsystem.action": {
                "name": "Forged action",
                "crm_iso_origin": "complaint",
            },
        }

    @classmethod
    def _survey_fixtures(cls):
        survey = cls.env["survey.survey"].create(
            {"title": "Trust satisfaction", "access_mode": "token"}
        )
        cls.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "Satisfied?",
                "question_type": "scale",
                "scale_min": 1,
                "scale_max": 5,
                "crm_iso_metric": "csat",
            }
        )
        plan = cls.env["crm.iso.measurement.plan"].create(
            {
                "name": "Trust plan",
                "survey_ids": [(6, 0, survey.ids)],
                "owner_id": cls.survey_manager.id,
            }
        )
        cls.fixtures["mgmtsystem.action:satisfaction"] = (
            cls.env["mgmtsystem.action"]
            .with_user(cls.analyst)
            .create(
                {
                    "name": "Trust improvement",
                    "crm_iso_origin": "satisfaction",
                    "crm_iso_plan_id": plan.id,
                }
            )
        )
        cls.create_vals["mgmtsystem.action:satisfaction"] = {
            "name": "Forged improvement",
            "crm_iso_origin": "satisfaction",
            "crm_iso_plan_id": plan.id,
        }
        # the invitation log: written by the plan only (no user creates a row)
        invitee = cls.env["res.partner"].create({"name": "Trust invitee"})
        cls.fixtures["crm.iso.survey.invitation"] = plan._crm_iso_invite(
            invitee, "email"
        )
        cls.create_vals["crm.iso.survey.invitation"] = {
            "partner_id": invitee.id,
            "plan_id": plan.id,
            "channel": "kiosk",
            "date": fields.Datetime.to_string(fields.Datetime.now()),
            "state": "sent",
            "company_id": plan.company_id.id,
        }

    @classmethod
    def _review_fixtures(cls):
        """A management review with its inputs pulled: the rows as presented
        (and a second review: another value for a row's review)."""
        review, _other = cls.env["mgmtsystem.review"].create(
            [
                {
                    "name": name,
                    "date": fields.Datetime.now(),
                    "crm_iso_date_from": fields.Date.today() - timedelta(days=30),
                    "crm_iso_date_to": fields.Date.today(),
                }
                for name in ("Trust review", "Other review")
            ]
        )
        review.action_crm_iso_pull_inputs()
        cls.fixtures["crm.iso.review.input"] = review.crm_iso_input_ids[:1]
        cls.create_vals["crm.iso.review.input"] = {
            "review_id": review.id,
            "section": "complaints",
            "code": "forged.row",
            "indicator": "Forged row",
        }

    @classmethod
    def _audit_fixtures(cls):
        """An ISO 10002 audit prefilled, one of its questions, and the
        nonconformity of another one (and a second audit: another value for a
        question's audit)."""
        Audit = cls.env["mgmtsystem.audit"]
        audit, _other = Audit.create(
            [
                {
                    "name": name,
                    "crm_iso_is_10002": True,
                    "crm_iso_date_from": fields.Date.today() - timedelta(days=30),
                    "crm_iso_date_to": fields.Date.today(),
                }
                for name in ("Trust audit", "Other audit")
            ]
        )
        audit.action_crm_iso_prefill()
        line, failed = audit.line_ids.filtered("crm_iso_prefilled")[:2]
        cls.fixtures["mgmtsystem.audit"] = audit
        cls.create_vals["mgmtsystem.audit"] = {
            "name": "New audit",
            "crm_iso_is_10002": True,
        }
        cls.fixtures["mgmtsystem.verification.line"] = line
        cls.create_vals["mgmtsystem.verification.line"] = {
            "name": "New question",
            "audit_id": audit.id,
        }
        Nonconformity = cls.env["mgmtsystem.nonconformity"]
        with Nonconformity._crm_iso_unlocked():
            cls.fixtures["mgmtsystem.nonconformity"] = Nonconformity.create(
                audit._crm_iso_nonconformity_vals(failed)
            )
        vals = audit._crm_iso_nonconformity_vals(line)
        del vals["crm_iso_audit_line_id"]
        cls.create_vals["mgmtsystem.nonconformity"] = vals

    @classmethod
    def _mall_fixtures(cls):
        now = fields.Datetime.now()
        cls.counter = cls.env["crm.mall.counter"].create(
            {"name": "Trust desk", "code": "TRUST"}
        )
        # the agent is on shift now at the trust desk
        cls.env["crm.mall.shift"].create(
            {
                "user_id": cls.agent.id,
                "counter_id": cls.counter.id,
                "date": fields.Date.today(),
                "start": now - timedelta(hours=1),
                "stop": now + timedelta(hours=8),
            }
        )
        # another shift: a shift_id has another value to be forged to
        cls.env["crm.mall.shift"].create(
            {
                "user_id": cls.mall_manager.id,
                "counter_id": cls.counter.id,
                "date": fields.Date.today() + timedelta(days=1),
                "start": now + timedelta(days=1),
                "stop": now + timedelta(days=1, hours=8),
            }
        )
        visit = (
            cls.env["crm.mall.visit"]
            .with_user(cls.agent)
            .checkin("09121239876", name="Trust visitor", counter_id=cls.counter.id)
        )
        subject = (
            cls.env["crm.mall.subject"]
            .with_user(cls.agent)
            .create(
                {
                    "visit_id": visit.id,
                    "subject_type": "request",
                    "description": "Where is the lift?",
                }
            )
        )
        lost = (
            cls.env["crm.mall.lost.item"]
            .with_user(cls.agent)
            .create({"name": "Black umbrella", "kind": "lost"})
        )
        template = cls.env["crm.mall.qc.template"].create(
            {
                "name": "Trust round",
                "zone": "Food court",
                "item_ids": [
                    (0, 0, {"name": "Tables clean", "answer_type": "yes_no"}),
                ],
            }
        )
        inspection = (
            cls.env["crm.mall.qc.inspection"]
            .with_user(cls.inspector)
            .create({"template_id": template.id, "zone": "Food court"})
        )
        due = fields.Date.to_string(fields.Date.today() + timedelta(days=3))
        order = (
            cls.env["mgmtsystem.action"]
            .with_user(cls.mall_manager)
            .create(
                {
                    "crm_iso_origin": "qc",
                    "crm_mall_inspection_id": inspection.id,
                    "name": "Wipe",
                    "date_deadline": due,
                }
            )
        )
        cls.fixtures.update(
            {
                "crm.mall.subject": subject,
                "crm.mall.qc.inspection": inspection,
                "mgmtsystem.action:qc": order,
                "crm.mall.visit": visit,
                "crm.mall.lost.item": lost,
            }
        )
        cls.create_vals.update(
            {
                "crm.mall.subject": {
                    "visit_id": visit.id,
                    "subject_type": "request",
                    "description": "Forged subject",
                },
                "crm.mall.qc.inspection": {
                    "template_id": template.id,
                    "zone": "Food court",
                },
                "mgmtsystem.action:qc": {
                    "crm_iso_origin": "qc",
                    "crm_mall_inspection_id": inspection.id,
                    "name": "Forged order",
                    "date_deadline": due,
                },
                "crm.mall.visit": {
                    "partner_id": cls.partner.id,
                    "counter_id": cls.counter.id,
                },
                "crm.mall.lost.item": {"name": "Forged umbrella", "kind": "found"},
            }
        )

    # ------------------------------------------------------------ the wire
    def setUp(self):
        super().setUp()
        self.request_ids = count(1)
        self.keys = {}
        self.stats = Counter()
        self.holes = []
        self.masked = []
        self.all_context = dict(CONTEXT_KEYS, crm_iso_new_user_id=self.admin.id)

    def jsonrpc(self, service, method, *args):
        """POST /jsonrpc; return (result, error data)."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self.request_ids),
            "params": {"service": service, "method": method, "args": list(args)},
        }
        with mute_logger(*QUIET):
            response = self.url_open("/jsonrpc", json=payload, timeout=60)
        self.assertEqual(response.status_code, 200, response.text[:500])
        body = response.json()
        if "error" in body:
            return None, body["error"]["data"]
        # a method returning None: no "result" in the reply
        return body.get("result"), None

    def execute(self, user, model, method, args, context=None):
        kwargs = {"context": context} if context else {}
        return self.jsonrpc(
            "object",
            "execute_kw",
            self.db,
            user.id,
            self.passwords[user.id],
            model,
            method,
            args,
            kwargs,
        )

    def api_key(self, user):
        if user.id not in self.keys:
            self.keys[user.id] = (
                self.env["res.users.apikeys"]
                .with_user(user)
                ._generate("rpc", "trust", fields.Datetime.now() + timedelta(hours=6))
            )
        return self.keys[user.id]

    def json2(self, user, model, method, body):
        """POST /json/2/<model>/<method> with the user's API key."""
        with mute_logger(*QUIET):
            response = self.url_open(
                f"/json/2/{model}/{method}",
                data=json.dumps(body),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.keys[user.id]}",
                    "X-Odoo-Database": self.db,
                },
                timeout=60,
            )
        if response.status_code == 200:
            return response.json(), None
        try:
            return None, response.json()
        except ValueError:
            return None, {"name": f"HTTP {response.status_code}", "message": ""}

    def call(self, route, user, model, method, ids=None, vals=None, context=None):
        if route == "jsonrpc":
            args = [ids, vals] if method == "write" else [[vals]]
            return self.execute(user, model, method, args, context)
        body = {"context": context or {}}
        if method == "write":
            body.update(ids=ids, vals=vals)
        else:
            body["vals_list"] = [vals]
        return self.json2(user, model, method, body)

    # ------------------------------------------------------------ values
    def value(self, record, name):
        """The value of a field as stored, comparable with what a client sends."""
        record = record.sudo().with_context(active_test=False)
        field = record._fields[name]
        value = record[name]
        if field.type == "many2one":
            return value.id
        if field.type in X2MANY:
            return sorted(value.ids)
        if field.type in ("date", "datetime"):
            return field.to_string(value) if value else False
        return value

    def default(self, model, name, user):
        Model = self.env[model].with_user(user)
        field = Model._fields[name]
        if not field.default:
            return [] if field.type in X2MANY else False
        value = field.default(Model)
        if field.type == "many2one":
            return value.id if hasattr(value, "id") else value
        return value

    def other_record(self, comodel, exclude):
        """An existing record of comodel, none of the ids of exclude."""
        Comodel = self.env[comodel].sudo().with_context(active_test=False)
        preferred = Comodel.browse()
        if comodel == "res.users":
            preferred = self.admin | self.env.ref("base.user_demo")
        for record in preferred:
            if record.id not in exclude:
                return record.id
        other = Comodel.search([("id", "not in", list(exclude))], limit=1)
        self.assertTrue(other, f"no {comodel} record to forge a value with")
        return other.id

    def forged(self, model, name, current, user, create=False):
        """A value of the field's type that is not current, nor (creating) the
        default; current is then the fixture's value, that of a new record."""
        Model = self.env[model]
        field = Model._fields[name]
        kind = field.type
        if kind == "datetime":
            return FORGED_DATETIME
        if kind == "date":
            return FORGED_DATE
        default = self.default(model, name, user)
        if kind == "boolean":
            return not (default if create else current)
        if kind in ("char", "text", "html"):
            return FORGED_TEXT
        avoid = [current, default] if create else [current]
        if kind in NUMBERS:
            return next(n for n in (99, 98, 97) if n not in avoid)
        if kind == "selection":
            values = [v for v, _label in field._description_selection(self.env)]
            return next(v for v in values if v not in (*avoid, False))
        exclude = {user.id} if field.comodel_name == "res.users" else set()
        if kind == "many2one":
            exclude.update(avoid)
            return self.other_record(field.comodel_name, exclude)
        if kind in X2MANY:
            exclude.update(current)
            return [(4, self.other_record(field.comodel_name, exclude))]
        raise AssertionError(f"{model}.{name}: no forged value for {kind} fields")

    # ------------------------------------------------------------ the cases
    def label(self, route, model, name, op, user):
        return f"{route} {model}.{name} {op} as {user.login}"

    def refused(self, label, error, user_may):
        """Tally a refusal; a success is a hole."""
        if error is None:
            self.holes.append(f"{label}: ACCEPTED")
            return False
        self.stats[error["name"]] += 1
        if error["name"] not in REFUSALS:
            self.holes.append(f"{label}: unexpected {error['name']}")
        elif user_may and "is not changed by hand" not in error.get("message", ""):
            # refused, but not by the guard: worth knowing
            self.masked.append(f"{label}: {error['name']}: {error['message'][:120]}")
        return True

    def check_write(self, route, user, record, name, context=None, op="write"):
        self.stats["cases"] += 1
        model = record._name
        before = self.value(record, name)
        forged = self.forged(model, name, before, user)
        label = self.label(route, model, name, op, user)
        may = record.with_user(user).has_access("write")
        with closing(self.env.cr.savepoint()):
            _result, error = self.call(
                route, user, model, "write", record.ids, {name: forged}, context
            )
            self.env.invalidate_all()
            after = self.value(record, name)
        self.env.invalidate_all()
        self.refused(label, error, may)
        if after != before:
            self.holes.append(f"{label}: {name} changed {before!r} -> {after!r}")

    def count(self, model):
        return self.env[model].sudo().with_context(active_test=False).search_count([])

    def check_create(self, route, user, key, name, context=None, op="create"):
        self.stats["cases"] += 1
        model = model_of(key)
        current = self.value(self.fixtures[key], name)
        forged = self.forged(model, name, current, user, create=True)
        vals = {**self.create_vals[key], name: forged}
        label = self.label(route, model, name, op, user)
        may = self.env[model].with_user(user).has_access("create")
        before = self.count(model)
        with closing(self.env.cr.savepoint()):
            _result, error = self.call(
                route, user, model, "create", vals=vals, context=context
            )
            self.env.invalidate_all()
            after = self.count(model)
        self.env.invalidate_all()
        self.refused(label, error, may)
        if after != before:
            self.holes.append(f"{label}: {after - before} record(s) created")

    def check_default(self, route, user, key, name):
        """``default_<name>`` in the context: ignored, never an error to rely on."""
        self.stats["cases"] += 1
        model = model_of(key)
        current = self.value(self.fixtures[key], name)
        forged = self.forged(model, name, current, user, create=True)
        label = self.label(route, model, name, "create default_", user)
        field = self.env[model]._fields[name]
        before = self.count(model)
        with closing(self.env.cr.savepoint()):
            result, error = self.call(
                route,
                user,
                model,
                "create",
                vals=dict(self.create_vals[key]),
                context={f"default_{name}": forged},
            )
            self.env.invalidate_all()
            created = self.env[model].browse(result or [])
            values = [self.value(record, name) for record in created]
            after = self.count(model)
        self.env.invalidate_all()
        if error is not None:
            self.stats[f"default refused: {error['name']}"] += 1
            if after != before:
                self.holes.append(f"{label}: refused, yet {after - before} created")
            return
        self.stats["default ignored"] += 1
        for value in values:
            carried = forged[0][1] in value if field.type in X2MANY else value == forged
            if carried:
                self.holes.append(f"{label}: the new record has {name} = {value!r}")

    def users_of(self, key):
        """The users of the groups that may create or write the model, and admin."""
        model = model_of(key)
        record = self.fixtures[key]
        users = [
            user
            for user in self.group_users
            if self.env[model].with_user(user).has_access("create")
            or record.with_user(user).has_access("write")
        ]
        return [*users, self.admin]

    def report(self, title, started):
        _logger.info("%s: %s", title, dict(self.stats))
        print(f"\n{title}: {self.stats['cases']} cases in {time.time() - started:.0f}s")
        for key, number in sorted(self.stats.items()):
            print(f"    {key}: {number}")
        if self.masked:
            print(f"    refused before the guard ({len(self.masked)}), e.g.:")
            for line in self.masked[:15]:
                print(f"        {line}")
        if self.holes:
            print(f"    HOLES ({len(self.holes)}):")
            for line in self.holes:
                print(f"        {line}")


@tagged("post_install", "-at_install")
class TestTrustRpc(TrustRpcCase):
    def test_00_fixtures_and_controls(self):
        """Every fixture exists, and what the table adds a forged value to is
        itself accepted: a refusal is then the forged value's."""
        for key in GUARDED:
            self.assertTrue(self.fixtures[key], f"no {key} fixture")
            self.assertTrue(self.env[model_of(key)]._crm_iso_protected_fields(), key)
        _uid, error = self.jsonrpc(
            "common", "login", self.db, self.admin.login, ADMIN_PASSWORD
        )
        self.assertIsNone(error)
        uid, error = self.jsonrpc(
            "common", "login", self.db, self.officer.login, PASSWORD
        )
        self.assertEqual((uid, error), (self.officer.id, None))
        accepted, refused = Counter(), []
        for key in GUARDED:
            model = model_of(key)
            for user in self.users_of(key):
                if not self.env[model].with_user(user).has_access("create"):
                    continue
                with closing(self.env.cr.savepoint()):
                    result, error = self.execute(
                        user, model, "create", [[self.create_vals[key]]]
                    )
                self.env.invalidate_all()
                if key in OPENED_BY_METHOD:
                    self.assertEqual(
                        error and error["name"], "odoo.exceptions.UserError"
                    )
                elif error is None:
                    self.assertTrue(result)
                    accepted[key] += 1
                else:
                    refused.append(f"{model} as {user.login}: {error['name']}")
            if key not in OPENED_BY_METHOD and any(
                self.env[model].with_user(user).has_access("create")
                for user in self.users_of(key)
            ):
                self.assertTrue(accepted[key], f"no user creates a {model}")
        print(f"\ncontrols: plain creations accepted {dict(accepted)}")
        print("    refused (record rules):", refused)

    def test_10_protected_fields_through_jsonrpc(self):
        started = time.time()
        for key in GUARDED:
            model = model_of(key)
            Model = self.env[model]
            record = self.fixtures[key]
            protected = list(Model._crm_iso_protected_fields())
            write_once = sorted(Model._crm_iso_write_once_fields())
            first = next(
                (n for n in ("state", "complaint_state") if n in protected),
                protected[0],
            )
            for user in self.users_of(key):
                self.stats[f"users of {key}"] += 1
                _logger.info("trust table: %s as %s", model, user.login)
                for name in protected + write_once:
                    self.check_write("jsonrpc", user, record, name)
                    self.check_write(
                        "jsonrpc", user, record, name, self.all_context, "write ctx*"
                    )
                    if name == first:
                        for ctx_key, value in self.all_context.items():
                            self.check_write(
                                "jsonrpc",
                                user,
                                record,
                                name,
                                {ctx_key: value},
                                f"write ctx {ctx_key}",
                            )
                        self.check_create(
                            "jsonrpc",
                            user,
                            key,
                            name,
                            self.all_context,
                            "create ctx*",
                        )
                    if name in protected:
                        self.check_create("jsonrpc", user, key, name)
                        self.check_default("jsonrpc", user, key, name)
        self.report("protected fields through /jsonrpc", started)
        self.assertFalse(self.holes, "\n".join(self.holes))

    def test_20_protected_fields_through_json2(self):
        """/json/2 with API keys: the administrator and one user of each model."""
        started = time.time()
        for key in GUARDED:
            model = model_of(key)
            Model = self.env[model]
            record = self.fixtures[key]
            users = self.users_of(key)
            for user in {users[0], users[-1]}:
                self.api_key(user)  # outside the savepoints rolled back
                for name in list(Model._crm_iso_protected_fields()) + sorted(
                    Model._crm_iso_write_once_fields()
                ):
                    self.check_write(
                        "json2", user, record, name, self.all_context, "write ctx*"
                    )
                    if name in Model._crm_iso_protected_fields():
                        self.check_create("json2", user, key, name)
                        self.check_default("json2", user, key, name)
        self.report("protected fields through /json/2", started)
        self.assertFalse(self.holes, "\n".join(self.holes))

    def test_30_complaint_paths(self):
        """A complaint stays one, is never deleted, moves by its transitions."""
        ticket = "helpdesk.ticket"
        complaint = self.complaint
        _result, error = self.execute(
            self.officer, ticket, "write", [complaint.ids, {"is_complaint": False}]
        )
        self.assertEqual(error and error["name"], "odoo.exceptions.UserError")
        self.env.invalidate_all()
        self.assertTrue(complaint.is_complaint)
        for user in [*self.group_users, self.admin]:
            _result, error = self.execute(user, ticket, "unlink", [complaint.ids])
            self.assertIn(error and error["name"], REFUSALS, user.login)
            self.env.invalidate_all()
            self.assertTrue(complaint.exists(), user.login)
        Stage = self.env["helpdesk.ticket.stage"]
        # the kanban drag of a complaint officer: the acknowledgement itself
        received = self._new_complaint("Trust drag", self.officer).with_env(self.env)
        self.assertEqual(received.complaint_state, "received")
        acknowledged = Stage._complaint_stage("acknowledged")
        result, error = self.execute(
            self.officer, ticket, "write", [received.ids, {"stage_id": acknowledged.id}]
        )
        self.assertEqual((result, error), (True, None))
        self.env.invalidate_all()
        self.assertEqual(received.complaint_state, "acknowledged")
        self.assertEqual(received.complaint_acknowledged_uid, self.officer)
        self.assertTrue(received.complaint_acknowledged_date)
        self.assertEqual(received.stage_id, acknowledged)
        # dragging a received complaint to closed: refused, nothing moves
        other = self._new_complaint("Trust closed drag", self.officer)
        other = other.with_env(self.env)
        closed = Stage._complaint_stage("closed")
        stage = other.stage_id
        _result, error = self.execute(
            self.officer, ticket, "write", [other.ids, {"stage_id": closed.id}]
        )
        self.assertEqual(error and error["name"], "odoo.exceptions.UserError")
        self.env.invalidate_all()
        self.assertEqual(other.complaint_state, "received")
        self.assertEqual(other.stage_id, stage)
        self.assertFalse(other.complaint_closed_date)

    def test_40_other_creation_paths(self):
        """The server's own creation paths, called by a client: a check-in with
        ``default_<field>`` keys, a ticket made a complaint after a write."""
        holes = []
        Visit = self.env["crm.mall.visit"]
        context = {
            f"default_{name}": self.forged(
                Visit._name,
                name,
                self.value(self.fixtures[Visit._name], name),
                self.agent,
                create=True,
            )
            for name in Visit._crm_iso_protected_fields()
        }
        result, error = self.jsonrpc(
            "object",
            "execute_kw",
            self.db,
            self.agent.id,
            PASSWORD,
            Visit._name,
            "checkin",
            ["09121239877"],
            {"counter_id": self.counter.id, "context": context},
        )
        self.assertIsNone(error, error)
        self.env.invalidate_all()
        visit = Visit.browse(result)
        for key, forged in context.items():
            name = key.removeprefix("default_")
            if self.value(visit, name) == forged:
                holes.append(f"crm.mall.visit.checkin: {key} = {forged!r} applied")
        # a ticket written, then made a complaint: no forged stamp carried over
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Trust plain ticket",
                    "description": "<p>x</p>",
                    "partner_id": self.partner.id,
                }
            )
        )
        forged = {
            "complaint_acknowledged_uid": self.admin.id,
            "complaint_acknowledged_date": FORGED_DATETIME,
            "complaint_reopen_count": 99,
            "complaint_archive_reason": FORGED_TEXT,
        }
        for name, value in forged.items():
            self.execute(
                self.officer, ticket._name, "write", [ticket.ids, {name: value}]
            )
        _result, error = self.execute(
            self.officer, ticket._name, "write", [ticket.ids, {"is_complaint": True}]
        )
        self.assertIsNone(error, error)
        self.env.invalidate_all()
        ticket = ticket.with_env(self.env)
        self.assertTrue(ticket.is_complaint)
        for name, value in forged.items():
            if self.value(ticket, name) == value:
                holes.append(
                    f"helpdesk.ticket write {name} on a ticket, then is_complaint: "
                    f"the complaint has {name} = {value!r}"
                )
        print("\nother creation paths:", holes or "no hole")
        self.assertFalse(holes, "\n".join(holes))
