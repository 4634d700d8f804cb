# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The event register on a real multi-worker server, under simultaneous
requests (#25): 10 registrations and 30 acknowledgements across two companies,
sent together over ``/jsonrpc`` to ``odoo --workers 2`` (16 at the same
instant: the prefork server's backlog; the rest as answers come back). Every
request succeeds (Odoo retries the ones whose register head moved after their
snapshot), each company's sequences run 1..n, every ``prev_hash`` is the
previous row's hash, the head sits on the last row and the integrity check
finds nothing. bench/bench_register.py holds the plumbing and also measures
what the register costs."""

import sys
import tempfile
import uuid

from .conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

import bench_register


def test_register_never_forks_under_simultaneous_requests(suite, complaints_template):
    db = f"crm_iso_t_register_{uuid.uuid4().hex[:8]}"
    try:
        conf, fixture = bench_register.prepare(
            suite, db, per_company=15, template=complaints_template
        )
        with tempfile.TemporaryDirectory(prefix="crm_iso_register_") as tmp:
            checks, figures = bench_register.race(
                suite, db, conf, fixture, workers=2, tmp=tmp
            )
        failed = [(label, value) for label, ok, value in checks if not ok]
        assert not failed, (failed, figures)
        # the race did race: both companies' registers got all their rows
        labels = [label for label, _ok, _value in checks]
        assert sum("sequences 1.." in label for label in labels) == 2, labels
    finally:
        suite.drop_db(db)
        bench_register.cleanup_confs(db)
