# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every model of the suite x every group x CRUD, against docs/access-matrix.csv.

The CSV is the declared access policy (it is part of the documentation): a change
of ACLs or groups that does not update it fails here.
"""

import csv

from odoo.tests import TransactionCase, new_test_user, tagged

from .conftest import REPO

MATRIX = REPO / "docs" / "access-matrix.csv"
GROUPS = {
    "employee": "base.group_user",
    "portal": "base.group_portal",
    "public": "base.group_public",
    "complaint_officer": "crm_iso_complaints.group_complaint_user",
    "dispute_officer": "crm_iso_complaints.group_dispute_officer",
    "complaint_manager": "crm_iso_complaints.group_complaint_manager",
    "survey_analyst": "crm_iso_surveys.group_survey_analyst",
    "survey_manager": "crm_iso_surveys.group_survey_manager",
    "counter_agent": "crm_mall_counter.group_counter_agent",
    "call_centre_agent": "crm_mall_counter.group_call_centre_agent",
    "office_reviewer": "crm_mall_counter.group_office_reviewer",
    "qc_inspector": "crm_mall_counter.group_qc_inspector",
    "action_staff": "crm_mall_counter.group_action_staff",
    "counter_supervisor": "crm_mall_counter.group_counter_supervisor",
    "mall_manager": "crm_mall_counter.group_mall_manager",
}
OPERATIONS = (("r", "read"), ("w", "write"), ("c", "create"), ("u", "unlink"))


@tagged("post_install", "-at_install")
class TestAccessMatrix(TransactionCase):
    def test_every_model_and_group_matches_the_declared_matrix(self):
        with MATRIX.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        declared_models = {row["model"] for row in rows}
        ours = {
            name
            for name in self.env.registry
            if name.startswith(("crm.iso.", "crm.mall."))
            and not self.env[name]._abstract
        }
        self.assertEqual(
            ours - declared_models, set(), "models missing from the matrix"
        )
        users = {
            key: new_test_user(self.env, f"matrix_{key}", groups=xmlid)
            for key, xmlid in GROUPS.items()
        }
        mismatches = []
        for row in rows:
            model = self.env[row["model"]].with_user(users[row["group"]])
            actual = "".join(
                letter if model.has_access(op) else "-" for letter, op in OPERATIONS
            )
            if actual != row["read/write/create/unlink"]:
                mismatches.append(
                    (
                        row["model"],
                        row["group"],
                        row["read/write/create/unlink"],
                        actual,
                    )
                )
        self.assertEqual(mismatches, [], "(model, group, declared, actual)")
        self.assertEqual(len(rows), len(declared_models) * len(GROUPS))
