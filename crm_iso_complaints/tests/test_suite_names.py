# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the suite adds to a model other addons share carries the suite's name
(issue #29, item 4): another helpdesk addon adding a field or a private method of
the same generic name must not collide with ours. Read from the registry, so a
new unprefixed field or private method of any of the suite's addons fails here."""

import inspect
import re

from odoo.tests import tagged
from odoo.tools import SQL

from .common import ComplaintCase

SUITE = (
    "crm_iso_complaints",
    "crm_iso_surveys",
    "crm_mall_counter",
    "crm_iso_complaints_merge",
)
SPECIFIC = re.compile(r"complain|crm_iso|crm_mall")
# methods of addons the suite extends without depending on them (not in the
# registry when they are not installed): helpdesk_ticket_neighbours.py
NEIGHBOURS = {"_send_ticket_rating_mail"}


def _suite_module(cls):
    parts = cls.__module__.split(".")
    return parts[:2] == ["odoo", "addons"] and parts[2:3] != [] and parts[2] in SUITE


@tagged("post_install", "-at_install")
class TestSuiteNames(ComplaintCase):
    def _shared_models(self):
        return {
            name: model
            for name, model in self.env.registry.items()
            if model._original_module not in SUITE
        }

    def test_fields_on_shared_models_are_prefixed(self):
        """Every field only the suite defines on a shared model names the suite
        (helpdesk.ticket.channel's ``code`` is the one left, see below)."""
        shared = self._shared_models()
        self.env.cr.execute(
            SQL(
                """SELECT f.model, f.name FROM ir_model_fields f
                     JOIN ir_model_data d
                       ON d.model = 'ir.model.fields' AND d.res_id = f.id
                    WHERE f.model IN %s
                 GROUP BY f.model, f.name
                   HAVING bool_and(d.module IN %s)""",
                tuple(shared),
                SUITE,
            )
        )
        added = self.env.cr.fetchall()
        self.assertIn(("helpdesk.ticket", "complaint_received_date"), added)
        generic = sorted(
            f"{model}.{name}"
            for model, name in added
            if not SPECIFIC.search(name)
            # a channel's ``code`` is left for a rename by hand: "code" is also a
            # server action's and a sequence's field, no word-safe rename moves it
            and (model, name) != ("helpdesk.ticket.channel", "code")
        )
        self.assertFalse(generic, "fields without the suite's prefix")

    def test_private_methods_on_shared_models_are_prefixed(self):
        """Every private method only the suite defines on a shared model names
        the suite; overrides of the other addons' methods keep their name."""
        generic = set()
        checked = 0
        for name, model in self._shared_models().items():
            classes = model.__mro__
            upstream = {
                attr for cls in classes if not _suite_module(cls) for attr in vars(cls)
            }
            for cls in classes:
                if not _suite_module(cls):
                    continue
                for attr, value in vars(cls).items():
                    if not attr.startswith("_") or attr.startswith("__"):
                        continue
                    if not inspect.isfunction(inspect.unwrap(value)) and not (
                        isinstance(value, classmethod | staticmethod)
                    ):
                        continue
                    checked += 1
                    if attr in upstream or attr in NEIGHBOURS:
                        continue
                    if not SPECIFIC.search(attr):
                        generic.add(f"{name}.{attr}")
        self.assertGreater(checked, 50)
        self.assertFalse(sorted(generic), "private methods without the prefix")
