# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Solar Hijri (Jalali) dates for Persian readers, through the jdatetime library."""

import datetime

import jdatetime
import pytz


def format_local(value, lang, tz=None, with_time=True):
    """``value`` (a naive UTC datetime or a date) for a reader of ``lang``.

    Persian readers get the Jalali calendar (1405/09/03 14:30), others the ISO
    Gregorian form; datetimes are shown in ``tz``.
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = pytz.utc.localize(value).astimezone(pytz.timezone(tz or "UTC"))
        pattern = "%Y/%m/%d %H:%M" if with_time else "%Y/%m/%d"
        if (lang or "").startswith("fa"):
            return jdatetime.datetime.fromgregorian(datetime=value).strftime(pattern)
        return value.strftime(pattern.replace("/", "-"))
    if (lang or "").startswith("fa"):
        return jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
    return value.isoformat()
