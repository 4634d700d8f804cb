# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Working-time arithmetic for complaint deadlines: the one place where it lives.

A deadline of N working hours is the moment at which N hours of work have elapsed
on a ``resource.calendar`` (its attendances, in its time zone, minus its global
leaves such as public holidays), counting from the start moment. Elapsed working
time between two moments counts only the work intervals between them.

:class:`WorkClock` loads the calendar's work intervals once for a whole batch of
tickets (one call of ``_work_intervals_batch``: a bounded number of queries, however
many tickets) and then answers every question with a binary search, so that creating
10,000 complaints or computing their KPIs runs no query per ticket.

All datetimes in and out are naive UTC, as Odoo stores them.
"""

import bisect
from datetime import timedelta

import pytz

# Margin of calendar days loaded beyond what the hours need at the calendar's
# weekly rate; extended automatically when long holidays eat into it.
_MARGIN_DAYS = 14


class WorkClock:
    """Cumulative working time of one calendar over a loaded span of time."""

    def __init__(self, calendar, start, end):
        self.calendar = calendar
        self.start = start
        self.end = end
        utc = pytz.utc
        intervals = calendar._work_intervals_batch(
            utc.localize(start), utc.localize(end), compute_leaves=True
        )[False]
        self.starts, self.ends, self.cumulative = [], [], []
        total = 0.0
        for begin, stop, _meta in intervals:
            begin = begin.astimezone(utc).replace(tzinfo=None)
            stop = stop.astimezone(utc).replace(tzinfo=None)
            self.starts.append(begin)
            self.ends.append(stop)
            self.cumulative.append(total)
            total += (stop - begin).total_seconds()
        self.total = total

    @classmethod
    def for_hours(cls, calendar, moments, hours):
        """A clock covering ``moments`` and at least ``hours`` of work after them."""
        weekly = sum(
            att.hour_to - att.hour_from
            for att in calendar.attendance_ids
            if att.day_period != "lunch"
        ) / (2 if calendar.two_weeks_calendar else 1)
        weeks = hours / weekly if weekly else 1
        span = timedelta(days=int(weeks * 7) + _MARGIN_DAYS)
        return cls(calendar, min(moments), max(moments) + span)

    def worked(self, moment):
        """Seconds of work from the start of the clock to ``moment``."""
        index = bisect.bisect_right(self.starts, moment) - 1
        if index < 0:
            return 0.0
        if moment >= self.ends[index]:
            return (
                self.cumulative[index]
                + (self.ends[index] - self.starts[index]).total_seconds()
            )
        return self.cumulative[index] + (moment - self.starts[index]).total_seconds()

    def hours_between(self, begin, stop):
        """Working hours between two moments (negative when ``stop`` < ``begin``)."""
        return (self.worked(stop) - self.worked(begin)) / 3600.0

    def add(self, moment, hours):
        """The moment at which ``hours`` of work have elapsed after ``moment``.

        Returns None when the loaded span is too short (the caller extends it).
        """
        target = self.worked(moment) + hours * 3600.0
        index = bisect.bisect_left(self.cumulative, target) - 1
        if index < 0 or target > self.total:
            return None
        return self.starts[index] + timedelta(seconds=target - self.cumulative[index])


def add_working_hours(calendar, moments_hours):
    """Deadlines for many ``(moment, hours)`` pairs on one calendar.

    Returns the list of deadlines in the same order. Loads the calendar's intervals
    once (twice as long again if a long closure makes the first span too short).
    """
    if not moments_hours:
        return []
    moments = [m for m, _h in moments_hours]
    longest = max(h for _m, h in moments_hours)
    clock = WorkClock.for_hours(calendar, moments, longest)
    results = [clock.add(m, h) for m, h in moments_hours]
    attempts = 0
    while None in results and attempts < 5:
        attempts += 1
        clock = WorkClock(calendar, clock.start, clock.end + (clock.end - clock.start))
        results = [clock.add(m, h) for m, h in moments_hours]
    return results


def working_hours_between(calendar, pairs):
    """Working hours elapsed for many ``(begin, end)`` pairs on one calendar."""
    if not pairs:
        return []
    moments = [moment for pair in pairs for moment in pair]
    clock = WorkClock(calendar, min(moments), max(moments) + timedelta(1))
    return [round(clock.hours_between(b, e), 2) for b, e in pairs]
