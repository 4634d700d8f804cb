# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ISO 10002 Complaints - Merge Tickets",
    "summary": "helpdesk_mgmt_merge's wizard merges duplicate complaints the ISO way",
    "version": "19.0.2.3.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "CRM ISO Suite contributors",
    "website": "https://github.com/crm-iso/crm-iso-suite",
    "depends": ["crm_iso_complaints", "helpdesk_mgmt_merge"],
    "data": ["wizards/helpdesk_ticket_merge_views.xml"],
    "auto_install": True,
}
