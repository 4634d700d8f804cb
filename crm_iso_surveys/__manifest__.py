# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ISO 10004 Satisfaction Monitoring",
    "summary": "ISO 10004 customer satisfaction monitoring on Odoo surveys",
    "version": "19.0.2.0.0",
    "category": "Marketing/Surveys",
    "license": "AGPL-3",
    "post_init_hook": "post_init_hook",
    "author": "CRM ISO Suite contributors",
    "website": "https://github.com/crm-iso/crm-iso-suite",
    "depends": ["survey", "crm_iso_complaints"],
    "data": [
        "security/crm_iso_surveys_security.xml",
        "security/ir.model.access.csv",
        "data/crm_iso_surveys_data.xml",
        "views/res_config_settings_views.xml",
        "views/survey_views.xml",
        "views/crm_iso_measurement_plan_views.xml",
        "report/satisfaction_report.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/crm_iso_surveys_demo.xml"],
    "application": True,
}
