# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No ``create``/``write`` of the three addons changes the caller's dicts.

Odoo retries a request that hit a serialization failure with the very argument
objects of the first try (``odoo/service/model.py``, ``retrying``): a ``create``
that wrote its reference or receipt into the caller's vals would find them there
on the retry, and the guard would refuse it. Every override of the suite is
found in the registry (a new one without a sample here fails the test) and is
called with dicts that take its branches; the ORM's own ``create``/``write``
below them is replaced for the call, so only the overrides' Python runs.
"""

import contextlib
import copy
from unittest.mock import patch

from odoo import models
from odoo.tests import TransactionCase, tagged

# models whose create only the check-in's own code reaches (unlocked)
OPENED_BY_THE_CHECKIN = ("crm.mall.visit",)

ADDONS = ("crm_iso_complaints", "crm_iso_surveys", "crm_mall_counter")


@tagged("post_install", "-at_install")
class TestValsUntouched(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.partner = env["res.partner"].create({"name": "Retry complainant"})
        cls.complaint = env["helpdesk.ticket"].create(
            {
                "name": "Retry",
                "description": "<p>Retry</p>",
                "is_complaint": True,
                "partner_id": cls.partner.id,
            }
        )
        cls.survey = env["survey.survey"].create({"title": "After the visit"})
        cls.competitor = env["crm.mall.competitor"].create({"name": "Retry mall"})
        cls.library_page = env["document.page"].create(
            {
                "name": "Lost child",
                "parent_id": env.ref("crm_mall_counter.page_category_answers").id,
                "content": "<p>Call security</p>",
            }
        )

    def overrides(self):
        """{model: {"create", "write"}} overridden by a class of the suite."""
        found = {}
        for name in self.env.registry:
            for cls in type(self.env[name]).__mro__:
                addon = cls.__module__.split(".")[2:3]
                declares = vars(cls).get("_name") or vars(cls).get("_inherit") or ()
                declares = [declares] if isinstance(declares, str) else declares
                # a mixin's own class counts once, under the mixin's name
                if addon and addon[0] in ADDONS and name in declares:
                    methods = {"create", "write"} & set(vars(cls))
                    if methods:
                        found.setdefault(name, set()).update(methods)
        return found

    def samples(self):
        """model -> (create vals_list, (records, write vals)) that take each
        override's branches."""
        complaint = {
            "name": "Broken door",
            "is_complaint": True,
            "partner_id": self.partner.id,
            "description": "<p>Hurt</p>",
        }
        library = self.env.ref("crm_mall_counter.page_category_answers")
        return {
            "helpdesk.ticket": (
                [complaint, {"name": "A question"}],
                (self.complaint, {"name": "Broken door, west gate"}),
            ),
            "crm.iso.guarded.mixin": ([{"name": "x"}], (None, {"name": "y"})),
            "crm.iso.dispute": ([{"complaint_id": self.complaint.id}], None),
            "mgmtsystem.action": (
                [
                    {"name": "Fix it", "crm_iso_origin": "complaint"},
                    {"name": "Cheer up", "crm_iso_origin": "satisfaction"},
                    {"name": "Clean it", "crm_iso_origin": "qc"},
                    {
                        "name": "Catch up",
                        "crm_iso_origin": "competitor",
                        "crm_mall_competitor_id": self.competitor.id,
                    },
                ],
                (self.env["mgmtsystem.action"], {"name": "Fix it now"}),
            ),
            "crm.iso.integrity.check": (
                None,
                (
                    self.env["crm.iso.integrity.check"].create({}),
                    {"company_ids": [(6, 0, self.env.company.ids)]},
                ),
            ),
            "crm.mall.visit": ([{"partner_id": self.partner.id}], None),
            "mgmtsystem.nonconformity": (
                None,
                (
                    self.env["mgmtsystem.nonconformity"].search([], limit=1),
                    {
                        "stage_id": self.env.ref(
                            "mgmtsystem_nonconformity.stage_analysis"
                        ).id
                    },
                ),
            ),
            "survey.user_input": ([{"survey_id": self.survey.id}], None),
            "crm.mall.qc.inspection": ([{"note": "x"}], (None, {"note": "y"})),
            "document.page": (
                [{"name": "Lift", "parent_id": library.id, "content": "<p>x</p>"}],
                (self.library_page, {"content": "<p>Call <b>security</b></p>"}),
            ),
            "crm.mall.subject": ([{"name": "Subject"}], None),
            "crm.mall.qc.item": ([{"name": "Floor"}], (None, {"name": "Floors"})),
            "crm.mall.qc.inspection.line": (None, (None, {"note": "x"})),
            "crm.mall.kiosk.token.wizard": ([{}], None),
            "crm.mall.display.token.wizard": ([{}], None),
            "crm.mall.shift": ([{"date": "2026-12-05"}], (None, {"user_id": 1})),
            "crm.mall.plan.line.mixin": (
                [{"name": "Goal"}],
                (None, {"name": "Goal", "plan_id": 1}),
            ),
            "crm.mall.cockpit": (
                [{"counter_line_ids": [(5, 0, 0)]}],
                (None, {"counter_line_ids": [(5, 0, 0)], "period": "week"}),
            ),
        }

    def test_every_override_leaves_the_callers_dicts_as_given(self):
        overrides, samples = self.overrides(), self.samples()
        self.assertIn("helpdesk.ticket", overrides)
        for name, methods in overrides.items():
            self.assertIn(name, samples, f"{name}: give this override a sample")
            create_list, write = samples[name]
            if "create" in methods:
                self.assertTrue(create_list, f"{name}.create: no sample")
            if "write" in methods:
                self.assertTrue(write, f"{name}.write: no sample")
        created = []
        with (
            patch.object(
                models.BaseModel,
                "create",
                lambda records, vals_list: (
                    created.append(vals_list) or records.browse()
                ),
            ),
            patch.object(models.BaseModel, "write", lambda records, vals: True),
        ):
            for name, methods in sorted(overrides.items()):
                create_list, write = samples[name]
                if "create" in methods:
                    given = copy.deepcopy(create_list)
                    Model = self.env[name]
                    # a visit is made by the check-in alone, which unlocks create
                    with (
                        Model._crm_iso_unlocked()
                        if name in OPENED_BY_THE_CHECKIN
                        else contextlib.nullcontext()
                    ):
                        Model.create(create_list)
                    self.assertEqual(create_list, given, f"{name}.create")
                if "write" in methods:
                    records, vals = write
                    records = self.env[name] if records is None else records
                    given = copy.deepcopy(vals)
                    records.write(vals)
                    self.assertEqual(vals, given, f"{name}.write")
        # the overrides did reach the ORM's create with their own values
        self.assertTrue(created)
