# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared plumbing of the benchmarks: a throw-away database, an in-process Odoo
environment, and a timer that also counts SQL queries."""

import contextlib
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import crm_suite


@contextlib.contextmanager
def bench_env(addons, prefix="crm_iso_bench"):
    """Yield a superuser env on a new database with ``addons``; drop it after."""
    suite = crm_suite.Suite()
    db = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        suite.install(db, addons, with_demo=False, log_name=db)
        conf = suite.write_conf(db, db)
        import odoo
        from odoo.modules.registry import Registry

        odoo.tools.config.parse_config(["-c", str(conf)])
        registry = Registry(db)
        with registry.cursor() as cr:
            yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            cr.rollback()
        Registry.delete(db)
    finally:
        suite.drop_db(db)


def run_outside_transaction(db, *statements):
    """Run statements (VACUUM...) on an autocommit connection of Odoo's server:
    VACUUM refuses to run in a transaction, and Odoo's cursor is always in one."""
    import psycopg2

    from odoo.tools import config

    cnx = psycopg2.connect(
        host=config["db_host"],
        port=config["db_port"],
        user=config["db_user"],
        dbname=db,
    )
    try:
        cnx.autocommit = True
        with cnx.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        cnx.close()


@contextlib.contextmanager
def measure(env, label, results):
    """Time a block and count its SQL queries into ``results[label]``."""
    env.invalidate_all()
    env.flush_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    yield
    env.flush_all()
    results[label] = (time.perf_counter() - start, env.cr.sql_log_count - queries)


def report(title, results, pairs):
    """Print each measure, and each (ours, baseline) pair as a ratio."""
    print(f"\n== {title}")
    for label, (seconds, queries) in results.items():
        print(f"  {label:<58} {seconds:9.4f} s {queries:8d} queries")
    for ours, baseline in pairs:
        s_ours, q_ours = results[ours]
        s_base, q_base = results[baseline]
        print(
            f"  ratio {ours} / {baseline}: time {s_ours / s_base:.3f}x, "
            f"queries {q_ours / max(q_base, 1):.3f}x"
        )
