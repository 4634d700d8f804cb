# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's clickbot opens every menu, view and filter of the three apps.

It catches what unit tests miss: a list that fails with several records, a view
that cannot render, a filter with a broken domain; in English as admin and in
Persian (right to left) as a manager of all three apps, on the demo data.
"""

from odoo.tests import HttpCase, new_test_user, tagged

APPS = (
    "crm_iso_complaints.menu_crm_iso_root",
    "crm_iso_surveys.menu_crm_iso_surveys_root",
    "crm_mall_counter.menu_crm_mall_counter_root",
)
MANAGERS = (
    "base.group_user,crm_iso_complaints.group_complaint_manager,"
    "crm_iso_complaints.group_dispute_officer,crm_iso_surveys.group_survey_manager,"
    "crm_mall_counter.group_mall_manager"
)
CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('%s');"
)


@tagged("post_install", "-at_install")
class TestClickEverywhere(HttpCase):
    def _click_apps(self, login):
        for app in APPS:
            with self.subTest(app=app):
                self.browser_js(
                    "/odoo",
                    CLICKBOT % app,
                    "odoo.isReady === true",
                    login=login,
                    timeout=600,
                    success_signal="clickbot test succeeded",
                )

    def test_every_screen_as_admin(self):
        self._click_apps("admin")

    def test_every_screen_in_persian(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_iso_complaints", "crm_iso_surveys", "crm_mall_counter"], ["fa_IR"]
        )
        # The first Persian page compiles the right-to-left stylesheet (rtlcss)
        # within the browser's 60 s wait for a ready page, too short on a busy
        # machine: build it beforehand; the clickbot then times screens alone.
        qweb = self.env["ir.qweb"]
        qweb._get_asset_bundle("web.assets_web", js=False, rtl=True).css()
        new_test_user(
            self.env,
            "fa_all_managers",
            groups=MANAGERS,
            lang="fa_IR",
        )
        self._click_apps("fa_all_managers")
