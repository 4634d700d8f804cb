# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import functools
import os
import traceback
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import SQL, mute_logger

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.queue_job.job import Job

OFFICER = "crm_iso_complaints.group_complaint_user"
MANAGER = "crm_iso_complaints.group_complaint_manager"


def calendar_vals(name, tz, days, hour_from=9.0, hour_to=17.0):
    """A calendar working ``days`` (0 = Monday) from hour_from to hour_to in tz."""
    return {
        "name": name,
        "tz": tz,
        "attendance_ids": [(5, 0, 0)]
        + [
            (
                0,
                0,
                {
                    "name": f"day {day}",
                    "dayofweek": str(day),
                    "hour_from": hour_from,
                    "hour_to": hour_to,
                    "day_period": "morning",
                },
            )
            for day in days
        ],
    }


class ComplaintCase(TransactionCase):
    """Users of each group, a 9-17 Monday-Friday UTC calendar, a policy, a team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.officer = new_test_user(
            cls.env, "c_officer", groups=OFFICER, email="officer@example.com"
        )
        cls.manager = new_test_user(
            cls.env, "c_manager", groups=MANAGER, email="manager@example.com"
        )
        cls.employee = new_test_user(cls.env, "c_employee", groups="base.group_user")
        cls.helpdesk_user = new_test_user(
            cls.env, "c_hd_user", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        cls.portal = new_test_user(cls.env, "c_portal", groups="base.group_portal")
        cls.calendar = cls.env["resource.calendar"].create(
            calendar_vals("Test UTC 9-17", "UTC", range(5))
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Complaint desk",
                "user_id": cls.manager.id,
                "user_ids": [(6, 0, (cls.officer | cls.manager).ids)],
            }
        )
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {
                "name": "Test complaints",
                "complaint_team_id": cls.team.id,
                "company_id": False,  # shared: the two-company tests use it too
            }
        )
        # the most specific policy: applies to our category only
        cls.policy = cls.env["crm.iso.complaint.policy"].create(
            {
                "name": "Test policy",
                "category_id": cls.category.id,
                "calendar_id": cls.calendar.id,
                "ack_hours": 8,
                "resolve_hours": 40,
                "warn_percent": 50,
                # level 1: the team leader, when the deadline is breached
                "escalation_level_ids": [(0, 0, {"level": 1, "percent": 100})],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Sara Ahmadi", "email": "sara@example.com"}
        )

    def new_complaint(self, user=None, **vals):
        values = {
            "name": "Broken escalator",
            "description": "<p>The escalator stopped with us on it.</p>",
            "is_complaint": True,
            "partner_id": self.customer.id,
            "category_id": self.category.id,
        }
        values.update(vals)
        model = self.env["helpdesk.ticket"]
        if user:
            model = model.with_user(user)
        return model.create(values)

    def responded_complaint(self, **vals):
        """A complaint whose decision was just sent to the complainant."""
        return self.advance(
            self.new_complaint(**vals),
            "acknowledged",
            "assessed",
            "investigation",
            "response",
        )

    def closed_complaint(self, **vals):
        """A complaint answered, accepted by the complainant and closed."""
        complaint = self.responded_complaint(**vals)
        complaint.with_user(self.officer).action_customer_accept()
        return self.advance(complaint, "closed")

    def advance(self, complaint, *states):
        """Walk a complaint through states as the manager, filling what they need."""
        complaint = complaint.with_user(self.manager)
        for state in states:
            if state == "acknowledged":
                complaint.action_acknowledge()
            elif state == "assessed":
                complaint.write(
                    {
                        "complaint_severity": "2",
                        "complaint_impact": "1",
                        "is_eligible_complaint": True,
                    }
                )
                complaint.action_assess()
            elif state == "investigation":
                complaint.action_start_investigation()
            elif state == "response":
                complaint.write(
                    {
                        "complaint_remedy": "apology",
                        "complaint_response": "<p>Sorry.</p>",
                    }
                )
                complaint.action_propose_response()
            elif state == "closed":
                complaint.action_close()
        return complaint


MONDAY_10 = datetime(2026, 11, 23, 10, 0)  # a Monday, 10:00 UTC


@contextmanager
def job_runner(env):
    """As on a server whose jobs a runner serves: queue_job's no-delay variable
    (set for the tests by ``make test``) off, so the suite's work is queued."""
    with patch.dict(os.environ):
        os.environ.pop("QUEUE_JOB__NO_DELAY", None)
        assert env["crm.iso.job"]._crm_iso_runner_serves()
        yield


def try_job(env, job_record):
    """One try of a stored job, as queue_job's controller makes it (its own
    ``_runjob`` commits and rolls back, which a test cannot): started, performed
    in a savepoint, then done, postponed (retryable) or failed with its error."""
    job = Job.load(env, job_record.uuid)
    job.set_started()
    try:
        with env.cr.savepoint():
            job.perform()
    except RetryableJobError as err:
        job.postpone(result=str(err))
        job.set_pending(reset_retry=False)
    except FailedJobError as err:
        job.set_failed(
            **RunJobController._get_failure_values(job, traceback.format_exc(), err)
        )
    else:
        job.set_done()
    job.store()
    job_record.invalidate_recordset()
    return job_record


def execute_kw(case, user, password, model, method, args, kwargs=None):
    """``object.execute_kw`` as ``user`` through the real ``/jsonrpc`` of the
    HttpCase ``case``: (result, None), or (None, the error's class name as Odoo
    sends it, e.g. ``odoo.exceptions.UserError``). A method returning None may
    send no result at all: that reads as (None, None)."""
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [
                case.env.cr.dbname,
                user.id,
                password,
                model,
                method,
                list(args),
                kwargs or {},
            ],
        },
    }
    with mute_logger("odoo.http", "odoo.addons.rpc.controllers.jsonrpc"):
        response = case.url_open("/jsonrpc", json=payload, timeout=60)
    case.assertEqual(response.status_code, 200, response.text[:300])
    body = response.json()
    if "error" in body:
        return None, body["error"]["data"]["name"]
    return body.get("result"), None


class ReadonlyCase(HttpCase):
    """Entry points that only read, called through the real HTTP API.

    Odoo 19 gives ``@api.readonly`` methods called through
    ``/web/dataset/call_kw`` (and ``readonly=True`` routes) a read-only cursor,
    on the replica when ``db_replica_host`` is configured. In tests the
    registry's cursors are ``TestCursor``: a read-only one runs ``SET
    TRANSACTION READ ONLY`` (odoo/tests/test_cursor.py), so any write fails and
    Odoo serves the request again on a read/write cursor (odoo/http.py
    ``_serve_db``). ``cursor_modes`` records the cursor of every call of a
    method: one read-only call proves it ran there and wrote nothing.
    """

    def call_kw(self, model, method, args, kwargs=None):
        """``model.method(*args, **kwargs)`` as the authenticated user, the
        web client's way (``/web/dataset/call_kw``)."""
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def json2(self, user, model, method, **params):
        """``model.method(**params)`` as ``user`` through the external JSON API
        (``/json/2``, with an API key of the user)."""
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "readonly test", datetime.now() + timedelta(hours=1))
        )
        response = self.url_open(
            f"/json/2/{model}/{method}",
            json=params,
            headers={"Authorization": f"Bearer {key}"},
            method="POST",  # even without params
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        return response.json()

    @contextmanager
    def cursor_modes(self, model, method):
        """Record, at each call of ``model``'s ``method``, Odoo's flag of its
        cursor and PostgreSQL's ``transaction_read_only`` (the method's own
        ``@api.readonly`` mark is kept: the patch carries its attributes)."""
        calls = []
        cls = type(self.env[model])
        original = getattr(cls, method)

        @functools.wraps(original)
        def recording(records, *args, **kwargs):
            records.env.cr.execute(SQL("SHOW transaction_read_only"))
            calls.append((records.env.cr.readonly, records.env.cr.fetchone()[0]))
            return original(records, *args, **kwargs)

        with patch.object(cls, method, recording):
            yield calls

    def assertMarkedReadonly(self, model, method):
        """Marked the way /web/dataset/call_kw looks for it (the class chain of
        the model, addons/web/controllers/dataset.py ``_call_kw_readonly``)."""
        marks = [
            getattr(getattr(cls, method, None), "_readonly", None)
            for cls in type(self.env[model]).mro()
        ]
        self.assertIs(
            next((mark for mark in marks if mark is not None), False),
            True,
            f"{model}.{method} is not @api.readonly",
        )

    def assertRanReadonly(self, calls):
        """Called, and only ever on a read-only cursor: a write would have
        failed there and the request run again on a read/write one."""
        self.assertTrue(calls, "the method was not called")
        self.assertEqual(set(calls), {(True, "on")})
