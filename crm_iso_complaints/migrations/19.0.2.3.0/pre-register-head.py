# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The event register gets ``UNIQUE (company_id, sequence, fork)`` (19.0.2.3.0).

Before 19.0.2.3.0 the register could fork under concurrency: two appends read
the same last row and both wrote the next sequence, chained to it. Those rows
are genuine records of what happened, and an auditor may hold their hashes:
they are never renumbered, changed or removed. Instead, at each sequence with
several rows of a company, the row that the chain goes on from keeps
``fork = 0`` and the others get ``fork = 1, 2, ...`` (by id). The chain is found
by walking back from the company's last row along ``prev_hash``; where that
walk breaks (a chain already broken), the row with the highest id at the
sequence is taken, as the old register did when it read its last row.

``fork`` is added here as ``NOT NULL DEFAULT 0`` (no rewrite of the table), so
that the constraint the ORM then creates holds. The integrity check lists each
such row as a fork kept from before 19.0.2.3.0, and says so (readme). Running
this twice marks the same rows the same way.
"""

import logging
from collections import defaultdict

_logger = logging.getLogger(__name__)


def _table_exists(cr, table):
    cr.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
    return cr.fetchone()[0]


def _chain_ids(rows):
    """Ids of the rows the chain goes on from, one per sequence.

    ``rows``: (id, sequence, prev_hash, hash) of one company, by sequence, id.
    """
    by_sequence = defaultdict(list)
    for row in rows:
        by_sequence[row[1]].append(row)
    chain = set()
    sequence = max(by_sequence)
    current = max(by_sequence[sequence], key=lambda r: r[0])
    while True:
        chain.add(current[0])
        earlier = by_sequence.get(current[1] - 1)
        if not earlier:
            break
        linked = [r for r in earlier if r[3] == current[2]]
        current = max(linked or earlier, key=lambda r: r[0])
    return chain


def migrate(cr, version):
    if not _table_exists(cr, "crm_iso_event"):
        return
    cr.execute(
        "ALTER TABLE crm_iso_event ADD COLUMN IF NOT EXISTS fork integer "
        "NOT NULL DEFAULT 0"
    )
    # the plain index on (company_id, sequence) gives way to the unique one
    cr.execute("DROP INDEX IF EXISTS crm_iso_event_company_sequence_idx")
    cr.execute(
        "SELECT DISTINCT company_id FROM crm_iso_event "
        "GROUP BY company_id, sequence HAVING count(*) > 1"
    )
    for (company_id,) in cr.fetchall():
        cr.execute(
            "SELECT id, sequence, prev_hash, hash FROM crm_iso_event "
            "WHERE company_id = %s ORDER BY sequence, id",
            (company_id,),
        )
        rows = cr.fetchall()
        chain = _chain_ids(rows)
        forks, rank = {}, defaultdict(int)
        for row_id, sequence, _prev, _hash in rows:
            if row_id not in chain:
                rank[sequence] += 1
                forks[row_id] = rank[sequence]
        for row_id, fork in forks.items():
            cr.execute(
                "UPDATE crm_iso_event SET fork = %s WHERE id = %s AND fork <> %s",
                (fork, row_id, fork),
            )
        cr.execute(
            "UPDATE crm_iso_event SET fork = 0 WHERE id = ANY(%s) AND fork <> 0",
            (list(chain),),
        )
        _logger.warning(
            "Event register of company %s: %s rows written in a fork of the chain "
            "before 19.0.2.3.0 (sequences %s) are kept as they were, marked fork > 0;"
            " the integrity check lists them as forks.",
            company_id,
            len(forks),
            sorted(rank),
        )
