# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The acknowledgement and decision mails carry the complaint's tracking link
(19.0.2.1.0). Their templates are ``noupdate``: an updated database would keep
sending mails without the link. A template whose body has no tracking link is
reset from the addon's file (with its translations); one that already has it,
customised or not, is left alone."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

TEMPLATES = (
    "crm_iso_complaints.mail_template_complaint_acknowledgement",
    "crm_iso_complaints.mail_template_complaint_decision",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in TEMPLATES:
        template = env.ref(xmlid, raise_if_not_found=False)
        if template and "crm_iso_tracking_url" not in (template.body_html or ""):
            template.reset_template()
            _logger.info("%s: reset to carry the tracking link", xmlid)
