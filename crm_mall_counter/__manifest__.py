# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Mall Customer Relations Counter",
    "summary": "Mall counters, shifts, visitor check-in, call centre, QC and kiosk",
    "version": "19.0.1.0.0",
    "category": "Services",
    "license": "AGPL-3",
    "author": "CRM ISO Suite contributors",
    "website": "https://github.com/crm-iso/crm-iso-suite",
    "depends": ["crm_iso_complaints", "crm_iso_surveys", "phone_validation"],
    "data": [
        "security/crm_mall_counter_security.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "application": True,
}
