# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One instant, one clock: the time zone a record's times are shown in, local
midnights, and the digits a reader expects.

Every time a person reads (receipt, tracking page, mails, PDFs, waiting-room
screen, kiosk, cockpit) is shown in the zone of the counter or company the
record belongs to, not in the zone of whoever prints it. The zone of a record
is :func:`record_tz`; the text of a time is ``jalali.format_local``.
"""

from datetime import datetime, time

import pytz

from odoo import fields

#: Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII, and ASCII to Persian
TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def is_persian(lang):
    return (lang or "").startswith("fa")


def digits(text, lang):
    """``text`` with Persian digits for a Persian reader, unchanged otherwise."""
    text = "" if text is None or text is False else str(text)
    return text.translate(TO_PERSIAN) if is_persian(lang) else text


def company_tz(company):
    """A company's zone: its partner's, else its working calendar's, else UTC."""
    return company.partner_id.tz or company.resource_calendar_id.tz or "UTC"


def record_tz(record):
    """The zone the times of ``record`` are shown in.

    A model that knows better defines ``_crm_iso_tz()`` (a counter: its
    opening hours'; a complaint: its counter's or its company's); any other
    record is shown in its company's zone, else the current company's.
    """
    if hasattr(record, "_crm_iso_tz"):
        return record._crm_iso_tz()
    company = record["company_id"] if "company_id" in record._fields else None
    return company_tz(company or record.env.company)


def local_midnight(tz_name, day):
    """Midnight starting ``day`` in the zone ``tz_name``, as a naive UTC datetime."""
    tz = pytz.timezone(tz_name or "UTC")
    midnight = tz.localize(datetime.combine(day, time()))
    return midnight.astimezone(pytz.utc).replace(tzinfo=None)


def local_date(tz_name, moment=None):
    """The date in the zone ``tz_name`` at ``moment`` (naive UTC, default now)."""
    moment = moment or fields.Datetime.now()
    return pytz.utc.localize(moment).astimezone(pytz.timezone(tz_name or "UTC")).date()


def day_start(tz_name, now=None):
    """Today in the time zone ``tz_name``: (its date, its midnight in naive UTC)."""
    today = local_date(tz_name, now)
    return today, local_midnight(tz_name, today)
