# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Phone numbers typed at a counter, normalised to E.164 for lookups.

Persian (۰-۹) and Arabic-Indic (٠-٩) digits become ASCII digits; everything else
is Odoo's ``phone_validation`` on the ``phonenumbers`` library: national Iranian
forms (0912..., 912...), international ones (+98..., 0098..., 98...) and other
countries' numbers written with their ``+`` prefix.
"""

import phonenumbers

from odoo.addons.crm_iso_complaints.tools.clock import TO_ASCII
from odoo.addons.phone_validation.tools.phone_validation import phone_parse

DEFAULT_REGION = "IR"


def normalize_phone(raw, region=DEFAULT_REGION):
    """E.164 form of ``raw`` (e.g. ``+989121234567``); raises UserError if invalid."""
    text = (raw or "").translate(TO_ASCII).strip()
    number = phone_parse(text, region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
