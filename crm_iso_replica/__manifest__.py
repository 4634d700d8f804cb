# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM ISO Suite - Reads on a Replica",
    "summary": "Read-your-writes and failover to the primary for Odoo's replica reads",
    "version": "19.0.2.3.0",
    "category": "Hidden/Tools",
    "license": "AGPL-3",
    "author": "CRM ISO Suite contributors",
    "website": "https://github.com/crm-iso/crm-iso-suite",
    "depends": ["web"],
}
