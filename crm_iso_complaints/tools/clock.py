# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One instant, one clock: the time zone a record's times are shown in, local
midnights, and the digits a reader expects. Every conversion between UTC and a
local time of the suite goes through here (``to_local``, ``to_utc`` and what is
built on them); no other module localizes a datetime or builds a midnight.

Which zone, at each kind of call site (and why):

- **a record's times and days** (receipt, tracking page, mails, PDFs, waiting
  room, kiosk, counter board, queue, shifts): :func:`record_tz` of the record,
  that is its counter's opening hours' zone, else its company's. A time is read
  where it happened, whoever prints it, and "today" at a counter starts at the
  counter's midnight.
- **a company's figures over a period** (management cockpit, CRM plan,
  management review, code-of-conduct commitments): :func:`company_tz` of the
  company the figures are of. The same period gives the same figures whoever
  computes them, and a scheduled job computes what a person sees.
- **what a person stamps or reads for themselves**: the user's own zone
  (``self.env.user.tz``, e.g. the day an action is marked done,
  ``crm.iso.guarded.mixin._crm_iso_today``), or for charts and pivots the
  reader's (``self.env.tz``), as Odoo's ``read_group`` groups by day: a chart
  matches the list it opens.

The text of a time is ``jalali.format_local``; the digits of a Persian reader
are :func:`digits` (``TO_ASCII`` reads them back). The browser's one copy of the
digit table is ``crm_mall_counter/static/src/digits/persian_digits.js``.
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


def to_local(tz_name, moment):
    """The naive UTC datetime ``moment`` as an aware datetime in ``tz_name``."""
    return pytz.utc.localize(moment).astimezone(pytz.timezone(tz_name or "UTC"))


def to_utc(tz_name, local):
    """The naive datetime ``local``, read in the zone ``tz_name``, as naive UTC."""
    moment = pytz.timezone(tz_name or "UTC").localize(local)
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


def local_midnight(tz_name, day):
    """Midnight starting ``day`` in the zone ``tz_name``, as a naive UTC datetime."""
    return to_utc(tz_name, datetime.combine(day, time()))


def local_date(tz_name, moment=None):
    """The date in the zone ``tz_name`` at ``moment`` (naive UTC, default now)."""
    return to_local(tz_name, moment or fields.Datetime.now()).date()


def day_start(tz_name, now=None):
    """Today in the time zone ``tz_name``: (its date, its midnight in naive UTC)."""
    today = local_date(tz_name, now)
    return today, local_midnight(tz_name, today)
