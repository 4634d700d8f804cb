# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The grouped KPI queries of the suite's report models, built in one place."""

from odoo.exceptions import UserError
from odoo.tools import SQL


def check_groupby(model, groupby, allowed):
    """A readable refusal of a grouping the KPIs do not offer (RPC input)."""
    if groupby and (not isinstance(groupby, str) or groupby not in allowed):
        raise UserError(
            model.env._(
                "The KPIs cannot be grouped by %(groupby)r: use one of %(allowed)s.",
                groupby=groupby,
                allowed=", ".join(sorted(allowed)),
            )
        )


def grouped_query(model, domain, groupby=None, date_column=None, periods=()):
    """``(table, key, from, where)`` SQL of ``model``'s rows matching ``domain``.

    Record rules apply (``_search``). ``key`` groups by ``groupby``: a period of
    ``periods`` truncates ``date_column`` in the user's time zone, as the pivot
    view groups dates; otherwise it is the column itself, or NULL for no group.
    """
    try:
        query = model._search(list(domain or []))
    except (ValueError, TypeError, KeyError) as error:
        raise UserError(
            model.env._("The KPI filter %(domain)r cannot be read.", domain=domain)
        ) from error
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
