# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared plumbing of the benchmarks: a throw-away database, an in-process Odoo
environment, a timer that also counts SQL queries, bulk cloning of rows by SQL,
and the capture and EXPLAIN of the SQL the ORM really sends."""

import contextlib
import sys
import threading
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


def complaints_db(suite, db, template=None):
    """``db`` with crm_iso_complaints installed without demo data: installed,
    or a copy of ``template``, a database where it is (the tests build one
    and copy it for each bench run they make)."""
    if template:
        suite.copy_db(template, db)
    else:
        suite.install(db, ["crm_iso_complaints"], with_demo=False, log_name=db)


def query(suite, db, sql, params=None):
    """Rows of one read-only query, on a connection of its own."""
    import psycopg2

    conn = psycopg2.connect(
        dbname=db, host=suite.host, port=suite.port, user=suite.user
    )
    try:
        with conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()
    finally:
        conn.close()


def close_inprocess(db):
    """Release the in-process registry's connections before dropping the db."""
    with contextlib.suppress(Exception):
        import odoo
        from odoo.modules.registry import Registry

        Registry.delete(db)
        odoo.sql_db.close_db(db)


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


def clone_rows(env, table, source, overrides):
    """INSERT a copy of every row of ``source`` (a FROM clause aliasing ``t``).

    ``overrides`` maps columns to SQL expressions; the others are copied from
    ``t``, so the clones carry whatever the ORM stored on the template.
    """
    from odoo.tools import SQL

    env.cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s "
            "AND column_name != 'id' ORDER BY ordinal_position",
            table,
        )
    )
    columns = [name for (name,) in env.cr.fetchall()]
    values = [overrides.get(c, SQL("t.%s", SQL.identifier(c))) for c in columns]
    env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s",
            SQL.identifier(table),
            SQL(", ").join(map(SQL.identifier, columns)),
            SQL(", ").join(values),
            source,
        )
    )


@contextlib.contextmanager
def captured_queries():
    """Collect (query, params) of every statement sent by this thread.

    Uses the cursor's per-thread query hooks (what odoo.tools.profiler uses), so
    the SQL explained is exactly what the ORM sent, not a reconstruction.
    """
    thread = threading.current_thread()
    queries = []

    def hook(cr, query, params, start, delay):
        queries.append((query, params))

    had = hasattr(thread, "query_hooks")
    thread.query_hooks = [*getattr(thread, "query_hooks", ()), hook]
    try:
        yield queries
    finally:
        if had:
            thread.query_hooks.remove(hook)
        else:
            del thread.query_hooks


def explain(env, query, params, analyze=False):
    """The plan of one captured statement, as a list of lines."""
    options = "ANALYZE, BUFFERS" if analyze else "COSTS"
    env.cr.execute(f"EXPLAIN ({options}) {query}", params)
    return [line for (line,) in env.cr.fetchall()]


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
