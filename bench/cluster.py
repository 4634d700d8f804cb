# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scale-out plumbing of the benchmarks: real Odoo servers on free ports of
127.0.0.1, and a real PostgreSQL streaming standby of the server in use.

Everything started here is registered for cleanup, which runs on the normal
path (the context managers), from ``atexit``, and on SIGTERM/SIGHUP/SIGINT
(turned into ``SystemExit`` so every ``finally`` runs): Odoo nodes stopped,
standby stopped and its directory removed, the primary's pg_hba.conf restored.
"""

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import crm_suite

HOST = "127.0.0.1"  # the only address the benchmarks ever bind to or talk to
READY_BUDGET = 120  # seconds for a server to answer /web/login
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HBA_MARK = "# crm_iso bench standby"  # the line we add is found by this mark

_cleanups = []  # callables, run last-in first-out


def _run_cleanups():
    while _cleanups:
        with contextlib.suppress(Exception):
            _cleanups.pop()()


def _on_signal(signum, _frame):
    raise SystemExit(128 + signum)


atexit.register(_run_cleanups)
for _sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
    signal.signal(_sig, _on_signal)


@contextlib.contextmanager
def cleanup(func):
    """Run ``func`` on leaving the block, or at exit/signal if it never left."""
    _cleanups.append(func)
    try:
        yield
    finally:
        if func in _cleanups:
            _cleanups.remove(func)
            func()


# ----------------------------------------------------------------- odoo nodes
def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def odoo_launcher(suite):
    """``odoo-bin`` of the Odoo in use when there is one, else ``-m odoo``.

    With --workers the master spawns the websocket process as
    ``python sys.argv[0] gevent``; under ``-m odoo`` argv[0] is odoo/__main__.py,
    which fails on its relative import and is respawned in a tight loop (a
    traceback every few ms, CPU stolen from the workers we measure).
    """
    probe = subprocess.run(
        [sys.executable, "-c", "import odoo.release as r; print(r.__file__)"],
        env=suite.env,
        capture_output=True,
        text=True,
        check=False,
    )
    odoo_bin = Path(probe.stdout.strip() or ".").parent.parent / "odoo-bin"
    return [str(odoo_bin)] if odoo_bin.is_file() else ["-m", "odoo"]


def start_server(
    suite, conf, port, db, workers, log, replica_port=None, gevent_port=None
):
    """odoo --workers N, its output in ``log``; own process group to stop it.

    With ``replica_port``, read-only cursors go to the standby listening there
    (``--db_replica_host/--db_replica_port``, odoo/tools/config.py). The
    websocket (gevent) process listens on ``gevent_port``, else a free port.
    """
    cmd = [
        sys.executable,
        *odoo_launcher(suite),
        "-c",
        str(conf),
        "--workers",
        str(workers),
        "--http-interface",
        HOST,
        "--http-port",
        str(port),
        # the websocket (gevent) process needs a port too: never the default 8072
        "--gevent-port",
        str(gevent_port or free_port()),
        "--max-cron-threads",
        "0",
        "--db-filter",
        f"^{db}$",
        "--log-level",
        "info",
    ]
    if replica_port:
        cmd += ["--db_replica_host", HOST, "--db_replica_port", str(replica_port)]
    return subprocess.Popen(
        cmd, env=suite.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_server(proc):
    """SIGTERM the master (it stops its workers), SIGKILL its group if stuck."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def wait_ready(proc, base, workers):
    """Poll /web/login until it answers, then warm every worker's registry."""
    deadline = time.monotonic() + READY_BUDGET
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise crm_suite.SuiteError(f"odoo exited early ({proc.returncode})")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{base}/web/login", timeout=10).status_code == 200:
                break
        time.sleep(0.5)
    else:
        raise crm_suite.SuiteError(f"odoo did not answer within {READY_BUDGET}s")
    # a few parallel hits so each worker loads the registry before we measure
    with ThreadPoolExecutor(workers * 2) as pool:
        list(
            pool.map(
                lambda _: requests.get(f"{base}/web/login", timeout=60),
                range(workers * 4),
            )
        )


@contextlib.contextmanager
def odoo_nodes(suite, conf, db, count, workers, log_dir, replica_port=None):
    """``count`` Odoo servers on the same database, each on a free port.

    Yields [(base URL, log path)], stops every server on leaving.
    """
    procs, nodes, logs = [], [], []

    def stop_all():
        for proc in procs:
            stop_server(proc)
        for log in logs:
            log.close()

    with cleanup(stop_all):
        for i in range(count):
            port = free_port()
            log_path = Path(log_dir) / f"odoo-node{i + 1}.log"
            logs.append(open(log_path, "w", encoding="utf-8"))  # noqa: SIM115
            procs.append(
                start_server(suite, conf, port, db, workers, logs[-1], replica_port)
            )
            nodes.append((f"http://{HOST}:{port}", log_path))
        for proc, (base, _) in zip(procs, nodes, strict=True):
            wait_ready(proc, base, workers)
        yield nodes


def copy_db(suite, source, target):
    """A copy of ``source`` (database and filestore) named ``target``."""
    subprocess.run(
        ["createdb", "-T", source, target], env=suite.env, check=True, text=True
    )
    filestore = crm_suite.STATE / "data" / "filestore"
    if (filestore / source).is_dir():
        shutil.copytree(filestore / source, filestore / target)


# ------------------------------------------------------------ the PG standby
def pg_connect(port, db="postgres"):
    import psycopg2

    conn = psycopg2.connect(host=HOST, port=port, user="root", dbname=db)
    conn.autocommit = True
    return conn


def pg_value(port, sql, params=None, db="postgres"):
    """First column of the first row of one query on the server at ``port``."""
    conn = pg_connect(port, db)
    try:
        with conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchone()[0]
    finally:
        conn.close()


class Standby:
    """A hot standby of the PostgreSQL server at 127.0.0.1:``primary_port``,
    streaming its WAL, in a temporary directory, on a free port.

    The primary must accept replication connections from 127.0.0.1: when its
    pg_hba.conf has no such line, one is appended (marked ``HBA_MARK``) and
    the configuration reloaded (no restart); ``close()`` removes it and
    reloads again. wal_level=replica and max_wal_senders > 0 (the defaults)
    are checked, never changed: both would need a restart.
    """

    def __init__(self, primary_port=5432):
        self.primary_port = int(primary_port)
        self.port = None
        self.name = None
        self.tmp = None
        self.data = None
        self.hba_added = None  # the pg_hba.conf path we appended a line to
        self.hba_original = ""
        self.changes = []  # what was changed on the primary, for the report

    # ---------------------------------------------------------------- primary
    def _check_primary(self):
        level = pg_value(self.primary_port, "SHOW wal_level")
        senders = int(pg_value(self.primary_port, "SHOW max_wal_senders"))
        if level not in ("replica", "logical") or senders < 1:
            raise crm_suite.SuiteError(
                f"the primary has wal_level={level}, max_wal_senders={senders}: a "
                "streaming standby needs replica and >= 1, which takes a restart"
            )
        allowed = pg_value(
            self.primary_port,
            "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)"
            " AND type = 'host' AND (address IS NULL OR address = '127.0.0.1')"
            " AND error IS NULL",
        )
        if allowed:
            return
        hba = Path(pg_value(self.primary_port, "SHOW hba_file"))
        line = f"host replication all 127.0.0.1/32 trust {HBA_MARK}\n"
        self.hba_original = hba.read_text(encoding="utf-8")
        sep = "" if self.hba_original.endswith("\n") else "\n"
        hba.write_text(self.hba_original + sep + line, encoding="utf-8")
        self.hba_added = hba
        pg_value(self.primary_port, "SELECT pg_reload_conf()")
        self.changes.append(f"{hba}: appended '{line.strip()}', reloaded")

    def _restore_primary(self):
        if not self.hba_added:
            return
        self.hba_added.write_text(self.hba_original, encoding="utf-8")
        pg_value(self.primary_port, "SELECT pg_reload_conf()")
        self.changes.append(f"{self.hba_added}: line removed, reloaded")
        self.hba_added = None

    # ---------------------------------------------------------------- standby
    @staticmethod
    def _as_postgres(args, **kwargs):
        """PostgreSQL refuses to run as root: run its tools as ``postgres``."""
        runas = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*runas, *args], check=True, capture_output=True, text=True, **kwargs
        )

    def start(self):
        self._check_primary()
        self.tmp = Path(tempfile.mkdtemp(prefix="crm_iso_standby_"))
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres", "postgres")
        self.data = self.tmp / "data"
        self.port = free_port()
        self.name = f"crm_iso_standby_{self.port}"
        self._as_postgres(
            [
                str(PG_BIN / "pg_basebackup"),
                *("-h", HOST, "-p", str(self.primary_port), "-U", "root"),
                *("-D", str(self.data), "-R", "-X", "stream", "-c", "fast"),
            ]
        )
        # the Debian cluster keeps its configuration in /etc: give ours its own
        (self.data / "postgresql.conf").write_text(
            f"port = {self.port}\n"
            f"listen_addresses = '{HOST}'\n"
            f"unix_socket_directories = '{self.tmp}'\n"
            "hot_standby = on\n"
            "max_connections = 100\n"
            "shared_buffers = 32MB\n"
            "hot_standby_feedback = on\n"
            # the walreceiver's application_name in the primary's pg_stat_replication
            f"cluster_name = '{self.name}'\n",
            encoding="utf-8",
        )
        (self.data / "pg_hba.conf").write_text(
            f"host all all {HOST}/32 trust\n", encoding="utf-8"
        )
        (self.data / "pg_ident.conf").write_text("", encoding="utf-8")
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            if os.geteuid() == 0:
                shutil.chown(self.data / name, "postgres", "postgres")
        self._as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                *("-D", str(self.data), "-l", str(self.tmp / "standby.log")),
                *("-w", "-t", "60", "start"),
            ]
        )
        if not pg_value(self.port, "SELECT pg_is_in_recovery()"):
            raise crm_suite.SuiteError("the standby is not in recovery")
        return self

    def running(self):
        return bool(self.data) and (self.data / "postmaster.pid").exists()

    def replay_lag(self):
        """Milliseconds between a commit flushed on the primary and its replay
        here (pg_stat_replication.replay_lag), None when nothing is in flight."""
        return pg_value(
            self.primary_port,
            "SELECT (SELECT extract(epoch FROM replay_lag) * 1000"
            " FROM pg_stat_replication WHERE application_name = %s)",
            (self.name,),
        )

    def wait_caught_up(self, budget=60):
        """Wait until the standby replayed the primary's WAL position of now.

        Returns the seconds waited (other databases of the server may keep the
        primary's position moving: only the position at the call counts).
        """
        start = time.monotonic()
        target = pg_value(self.primary_port, "SELECT pg_current_wal_lsn()::text")
        while time.monotonic() - start < budget:
            replayed = pg_value(self.port, "SELECT pg_last_wal_replay_lsn()::text")
            if replayed and pg_value(
                self.primary_port, "SELECT %s::pg_lsn >= %s::pg_lsn", (replayed, target)
            ):
                return time.monotonic() - start
            time.sleep(0.05)
        raise crm_suite.SuiteError(f"the standby did not catch up within {budget}s")

    @contextlib.contextmanager
    def synchronous(self, db):
        """Commits of ``db`` wait until this standby has applied them.

        ``synchronous_commit = remote_apply`` for ``db`` only (ALTER DATABASE:
        sessions opened from now on), the standby named in the primary's
        ``synchronous_standby_names``, and the server's default
        ``synchronous_commit`` set to ``local`` so that the other databases
        of the server never wait for it. Both server settings take a reload,
        must be at their defaults before, and are reset on leaving (after
        which nothing waits for the standby, even on a session that still has
        remote_apply).
        """
        changed = pg_value(
            self.primary_port,
            "SELECT count(*) FROM pg_settings WHERE source <> 'default' AND name IN"
            " ('synchronous_commit', 'synchronous_standby_names')",
        )
        if changed:
            raise crm_suite.SuiteError("the primary's synchronous settings are set")

        def reset():
            conn = pg_connect(self.primary_port)
            try:
                with conn.cursor() as cr:
                    cr.execute(f'ALTER DATABASE "{db}" RESET synchronous_commit')
                    cr.execute("ALTER SYSTEM RESET synchronous_standby_names")
                    cr.execute("ALTER SYSTEM RESET synchronous_commit")
                    cr.execute("SELECT pg_reload_conf()")
            finally:
                conn.close()
            self.changes.append("synchronous settings reset, reloaded")

        with cleanup(reset):
            conn = pg_connect(self.primary_port)
            try:
                with conn.cursor() as cr:
                    cr.execute("ALTER SYSTEM SET synchronous_commit = 'local'")
                    cr.execute(
                        "ALTER SYSTEM SET synchronous_standby_names = %s",
                        (f'"{self.name}"',),
                    )
                    cr.execute("SELECT pg_reload_conf()")
                    cr.execute(
                        f'ALTER DATABASE "{db}" SET synchronous_commit = remote_apply'
                    )
            finally:
                conn.close()
            self.changes.append(
                f"ALTER SYSTEM synchronous_commit=local, synchronous_standby_names="
                f"{self.name}; ALTER DATABASE {db} synchronous_commit=remote_apply"
            )
            deadline = time.monotonic() + 30
            while (
                pg_value(
                    self.primary_port,
                    "SELECT (SELECT sync_state FROM pg_stat_replication"
                    " WHERE application_name = %s)",
                    (self.name,),
                )
                != "sync"
            ):
                if time.monotonic() > deadline:
                    raise crm_suite.SuiteError("the standby did not become synchronous")
                time.sleep(0.1)
            yield

    def kill(self, mode="immediate"):
        """Stop the standby: ``pg_ctl stop -m immediate`` (the hard way, as a
        crash) or ``-m fast`` (backends terminated, as an admin would)."""
        self._as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "stop"]
        )

    def close(self):
        try:
            if self.running():
                with contextlib.suppress(subprocess.CalledProcessError):
                    self._as_postgres(
                        [str(PG_BIN / "pg_ctl"), "-D", str(self.data)]
                        + ["-m", "fast", "-w", "stop"]
                    )
        finally:
            if self.tmp:
                shutil.rmtree(self.tmp, ignore_errors=True)
                self.tmp = self.data = None
            self._restore_primary()


@contextlib.contextmanager
def standby(primary_port=5432):
    """A running :class:`Standby`, stopped and removed on leaving."""
    node = Standby(primary_port)
    with cleanup(node.close):
        yield node.start()
