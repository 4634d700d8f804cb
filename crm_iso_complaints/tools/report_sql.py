# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The grouped KPI queries of the suite's report models, built in one place."""

from odoo.tools import SQL


def grouped_query(model, domain, groupby=None, date_column=None, periods=()):
    """``(table, key, from, where)`` SQL of ``model``'s rows matching ``domain``.

    Record rules apply (``_search``). ``key`` groups by ``groupby``: a period of
    ``periods`` truncates ``date_column`` in the user's time zone, as the pivot
    view groups dates; otherwise it is the column itself, or NULL for no group.
    """
    query = model._search(list(domain or []))
    table = SQL.identifier(query.table)
    if groupby in periods:
        key = SQL(
            "date_trunc(%s, %s.%s AT TIME ZONE 'UTC' AT TIME ZONE %s)",
            groupby,
            table,
            SQL.identifier(date_column),
            str(model.env.tz),
        )
    elif groupby:
        key = SQL("%s.%s", table, SQL.identifier(groupby))
    else:
        key = SQL("NULL")
    return table, key, query.from_clause, query.where_clause or SQL("TRUE")
