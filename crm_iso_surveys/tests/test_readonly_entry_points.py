# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The satisfaction KPIs run on a read-only cursor (the database replica when
one is configured) and write nothing: through the real HTTP API."""

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import ReadonlyCase

from .common import ANALYST

PASSWORD = "readonly-pass-1234"


@tagged("post_install", "-at_install")
class TestReadonlyEntryPoints(ReadonlyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.analyst = new_test_user(
            cls.env, "ro_analyst", groups=ANALYST, password=PASSWORD
        )

    def test_satisfaction_kpis(self):
        Report = "crm.iso.satisfaction.report"
        self.assertMarkedReadonly(Report, "get_kpis")
        self.authenticate("ro_analyst", PASSWORD)
        with self.cursor_modes(Report, "get_kpis") as calls:
            rows = self.call_kw(Report, "get_kpis", [], {"groupby": "month"})
        self.assertRanReadonly(calls)
        expected = self.env[Report].with_user(self.analyst).get_kpis(groupby="month")
        self.assertTrue(expected, "the demo data has answers")
        self.assertEqual(
            [(row["key"], row["sent"], row["responses"]) for row in rows],
            # JSON sends the periods as text
            [(str(row["key"]), row["sent"], row["responses"]) for row in expected],
        )
