# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Solar Hijri (Jalali) dates for Persian readers, through the jdatetime library."""

import datetime

import jdatetime

from .clock import digits, is_persian, to_local


def format_local(value, lang, tz=None, with_time=True):
    """``value`` (a naive UTC datetime or a date) for a reader of ``lang``.

    Persian readers get the Jalali calendar in Persian digits (۱۴۰۵/۰۹/۰۳ ۱۴:۳۰),
    others the ISO Gregorian form; datetimes are shown in ``tz`` (the zone of
    the record they belong to: ``clock.record_tz``).
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = to_local(tz, value)
        pattern = "%Y/%m/%d %H:%M" if with_time else "%Y/%m/%d"
        if is_persian(lang):
            text = jdatetime.datetime.fromgregorian(datetime=value).strftime(pattern)
            return digits(text, lang)
        return value.strftime(pattern.replace("/", "-"))
    if is_persian(lang):
        return digits(
            jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d"), lang
        )
    return value.isoformat()
