# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import functools
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user

# an internal user who may edit contacts: the buttons of the tests are theirs
STAFF = "base.group_user,base.group_partner_manager"


class ReplicaCase(HttpCase):
    """The web client's calls through the real ``/web/dataset`` routes, on
    Odoo's test cursors: a read-only request gets a cursor that runs ``SET
    TRANSACTION READ ONLY`` (odoo/tests/test_cursor.py), as the replica would
    give it, so where a call ran can be observed."""

    PASSWORD = "replica-pass-12345"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env, "replica_staff", groups=STAFF, password=cls.PASSWORD
        )
        cls.contact = cls.env["res.partner"].create({"name": "Hall B kiosk"})

    def call_kw(self, model, method, args, kwargs=None, route="call_kw"):
        return self.make_jsonrpc_request(
            f"/web/dataset/{route}/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def web_read(self, fields=("name", "active")):
        """The form's (re)load of the contact."""
        return self.call_kw(
            "res.partner",
            "web_read",
            [self.contact.ids],
            {"specification": {field: {} for field in fields}},
        )

    @contextmanager
    def read_only_flags(self, model, method):
        """Record Odoo's read-only flag of the cursor at each call of
        ``model.method`` (its ``@api.readonly`` mark kept by ``wraps``)."""
        flags = []
        cls = type(self.env[model])
        original = getattr(cls, method)

        @functools.wraps(original)
        def recording(records, *args, **kwargs):
            flags.append(records.env.cr.readonly)
            return original(records, *args, **kwargs)

        with patch.object(cls, method, recording):
            yield flags
