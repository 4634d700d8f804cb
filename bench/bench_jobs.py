#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two Odoo nodes running queue_job's runner: every job done once, nothing lost.

    python3 bench/bench_jobs.py [--jobs 1000] [--workers 2] [--sleep 60] [--standalone]
                                [--template DB] [--keep DIR]

Creates a throw-away database with crm_iso_complaints (no demo) and ``--jobs``
codes-of-conduct commitments, then starts two ``odoo --workers N`` nodes on
127.0.0.1, each with ``server_wide_modules = base,web,queue_job``, a
``[queue_job]`` section (``channels = root:4``) and its runner calling its own
node. Only one runner leads (a PostgreSQL advisory lock per database); the other
retries the lock every 5 seconds.

0. The event register on both nodes: 10 registrations and 30 acknowledgements
   across two companies sent together, round-robin over the nodes; then
   the register checks of bench_register.py (one chain per company, every link,
   the head, ``_verify`` clean).
1. The cron ``_cron_snapshot_periods`` runs in-process on the node's
   configuration: it enqueues one real suite job per commitment and period
   (channel ``root.crm_iso.conduct``), plus the escalation of an overdue action
   in a company without managers, a job that cannot succeed (the bench sets its
   retry pattern to 1 second). Wait; check: every snapshot job done, performed
   once (its ``retry`` is 1), one snapshot per commitment, none failed; the
   escalation retried per its pattern and ended ``failed`` with its error.
2. A slow job (a PostgreSQL trigger of the bench database, nothing in the
   addons, sleeps ``--sleep`` seconds on the first snapshot of one commitment):
   once it is ``started``, the leader node is killed with SIGKILL (its whole
   process group). The other node's runner takes the lock, re-queues the dead
   job (``requeue_dead_jobs``: started, its ``queue_job_lock`` row no longer
   locked) and runs it: one snapshot.

With ``--standalone``: one node without queue_job in ``server_wide_modules``,
served by queue_job's standalone runner (``python -m
odoo.addons.queue_job.jobrunner -c <node conf>``) as in many productions; phase 1
only. The suite queues its work there too (crm_iso_job.py).

Prints a table of figures, drops the database, the servers and the temp files
even on failure; exits 0 when every check passes, 1 otherwise. With ``--keep
DIR`` the database and the node logs are kept, and ``DIR/run.json`` says which
(the database, the commitments, each node's process ids and log):
tests/test_two_nodes.py reads the database itself, then drops it.
"""

import argparse
import contextlib
import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent / "tools")]

import bench_register
import cluster
import crm_suite
import harness

HOST = cluster.HOST
SNAPSHOT_KEY = "crm_iso_complaints.conduct_snapshot:%"
ESCALATE_KEY = "crm_iso_complaints.escalate_overdue:%"
WAIT_BUDGET = 600  # seconds for the jobs of one phase
RUNNER_READY = "queue job runner ready for db"
# python -m odoo.addons.queue_job.jobrunner, once the addons path is known
STANDALONE_RUNNER = (
    "import runpy; from odoo.tools import config; config.parse_config([]);"
    "from odoo.modules.module import initialize_sys_path; initialize_sys_path();"
    "runpy.run_module('odoo.addons.queue_job.jobrunner', run_name='__main__')"
)


# ------------------------------------------------------------------- the data
def setup_data(conf, db, count):
    """Commitments, the overdue action nobody can be told of, the slow hook."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(conf), "--log-level", "warn"])
    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Code = env["crm.iso.conduct.code"]
        code = Code.create({"name": "Bench promises", "published": True})
        # phase 2's commitment: its code is archived until then
        slow_code = Code.create({"name": "Bench slow promise", "active": False})
        commitments = env["crm.iso.conduct.commitment"].create(
            [
                {
                    "code_id": (slow_code if n == count else code).id,
                    "name": f"Acknowledge within 8 hours #{n}",
                    "indicator": "ack_within_pct",
                    "parameter": 8,
                    "target": 100,
                }
                for n in range(count + 1)
            ]
        )
        nobody = env["res.company"].create({"name": "Mall without managers"})
        managers = env.ref("crm_iso_complaints.group_complaint_manager").user_ids
        for user in managers.filtered(lambda u: nobody in u.company_ids):
            user.company_ids -= nobody
        env["mgmtsystem.action"].create(
            {
                "name": "Overdue, nobody to tell",
                "crm_iso_origin": "complaint",
                "company_id": nobody.id,
                "date_deadline": odoo.fields.Date.today()
                - odoo.tools.date_utils.relativedelta(days=1),
            }
        )
        # retry the escalation after 1 second (production: 10 minutes)
        env.ref("crm_iso_complaints.job_function_escalate_overdue").retry_pattern = {
            1: 1
        }
        cr.commit()
        return commitments[:-1].ids, commitments[-1].id, slow_code.id


def slow_hook(db, commitment_id, seconds):
    """The first snapshot of ``commitment_id`` sleeps (a sequence is not rolled
    back, so its re-run does not); backends notice a dead client within 1 s."""
    harness.run_outside_transaction(
        db,
        f'ALTER DATABASE "{db}" SET client_connection_check_interval = 1000',
        "CREATE SEQUENCE bench_slow_seq",
        f"""CREATE FUNCTION bench_slow() RETURNS trigger AS $$
            BEGIN
                IF NEW.commitment_id = {int(commitment_id)}
                   AND nextval('bench_slow_seq') = 1 THEN
                    PERFORM pg_sleep({int(seconds)});
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql""",
        "CREATE TRIGGER bench_slow BEFORE INSERT ON crm_iso_conduct_snapshot "
        "FOR EACH ROW EXECUTE FUNCTION bench_slow()",
    )


def enqueue(db, escalations=True):
    """Run the crons in-process on the node's configuration: jobs are queued
    (whichever runner serves the database: the server's own or standalone)."""
    import odoo
    from odoo.modules.registry import Registry

    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["crm.iso.job"]._crm_iso_runner_serves():
            raise crm_suite.SuiteError("queue_job's no-delay switch is on")
        env["crm.iso.conduct.commitment"]._cron_snapshot_periods()
        if escalations:
            env["mgmtsystem.action"]._cron_crm_iso_escalate_overdue()
        cr.commit()


# ----------------------------------------------------------------- the nodes
def write_node_conf(suite, db, port, standalone=False):
    """The node's configuration: its runner inside Odoo (server-wide module), or
    (``standalone``) none in Odoo and queue_job's standalone runner beside it."""
    conf = suite.write_conf(f"jobs-{db}-{port}", db, http_port=port, with_demo=False)
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + ("" if standalone else "server_wide_modules = base,web,queue_job\n")
        + "\n[queue_job]\n"
        + "channels = root:4\n"
        + f"scheme = http\nhost = {HOST}\nport = {port}\n",
        encoding="utf-8",
    )
    return conf


class Node:
    def __init__(self, suite, db, name, tmp, workers, standalone=False):
        self.name = name
        self.port = cluster.free_port()
        self.conf = write_node_conf(suite, db, self.port, standalone)
        self.log_path = Path(tmp) / f"{name}.log"
        self.log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        self.proc = cluster.start_server(
            suite, self.conf, self.port, db, workers, self.log
        )
        self.runner = None
        if standalone:
            # queue_job's standalone runner; its __main__ (Odoo 19) reads no
            # command line: the configuration file and database come from
            # ODOO_RC and PGDATABASE, and Odoo's addons path must be set first
            self.runner = subprocess.Popen(
                [sys.executable, "-c", STANDALONE_RUNNER],
                env={**suite.env, "ODOO_RC": str(self.conf), "PGDATABASE": db},
                stdout=self.log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pids = set()

    def wait_ready(self, workers):
        cluster.wait_ready(self.proc, f"http://{HOST}:{self.port}", workers)

    def log_text(self):
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def group_pids(self):
        out = subprocess.run(
            ["ps", "-o", "pid=", "-g", str(self.proc.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        self.pids |= {int(pid) for pid in out.split()}
        return self.pids

    def kill(self):
        self.group_pids()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self):
        for proc in filter(None, (self.runner, self.proc)):
            if proc.poll() is None:
                cluster.stop_server(proc)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        self.log.close()
        with contextlib.suppress(OSError):
            self.conf.unlink()


def wait_for(what, predicate, budget=WAIT_BUDGET, step=0.5):
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise crm_suite.SuiteError(f"timed out waiting for {what}")


def job_states(q, key):
    return dict(
        q(
            "SELECT state, count(*) FROM queue_job WHERE identity_key LIKE %s "
            "GROUP BY state",
            (key,),
        )
    )


# ------------------------------------------------------------------ the run
def run(suite, db, args, tmp, kept):
    """The phases; ``kept`` receives what a caller needs to read the database
    after the run (see ``--keep``)."""
    figures, checks = [], []
    started = time.monotonic()
    harness.complaints_db(suite, db, args.template)
    q = functools.partial(harness.query, suite, db)
    setup_port = cluster.free_port()
    setup_conf = write_node_conf(suite, db, setup_port)
    try:
        ids, slow_id, slow_code = setup_data(setup_conf, db, args.jobs)
        kept.update(commitments=ids, slow_commitment=slow_id)
        slow_hook(db, slow_id, args.sleep)
        print(f"installed and set up in {time.monotonic() - started:.0f}s")
        nodes = []
        try:
            # A first, so that A's runner leads; B's runner waits for the lock
            a = Node(suite, db, "node-a", tmp, args.workers, args.standalone)
            nodes.append(a)
            a.wait_ready(args.workers)
            wait_for("A's runner", lambda: RUNNER_READY in a.log_text(), 60)
            if not args.standalone:
                b = Node(suite, db, "node-b", tmp, args.workers)
                nodes.append(b)
                b.wait_ready(args.workers)
                time.sleep(6)  # B's runner tried the lock at least once
            leaders = [n.name for n in nodes if RUNNER_READY in n.log_text()]
            checks.append(("one leader runner", leaders == ["node-a"], leaders))
            pids = {n.name: n.group_pids() for n in nodes}

            # ---- phase 0: the event register, requests round-robin on both nodes
            conf = suite.write_conf(f"register-{db}", db, with_demo=False)
            fixture = bench_register.create_fixture(suite, db, conf, 15)
            bases = [f"http://{HOST}:{n.port}" for n in nodes]
            register, t_register = bench_register.race_on(
                suite, db, conf, fixture, bases, args.workers
            )
            figures.append(("register race on both nodes (s)", f"{t_register:.1f}"))
            checks += [(f"register: {label}", ok, v) for label, ok, v in register]

            # ---- phase 1: the jobs, and the job that cannot succeed
            t0 = time.monotonic()
            enqueue(db)
            enqueued = sum(job_states(q, SNAPSHOT_KEY).values())
            t_enqueue = time.monotonic() - t0

            def settled():
                snap = job_states(q, SNAPSHOT_KEY)
                esc = job_states(q, ESCALATE_KEY)
                busy = {"pending", "enqueued", "started", "wait_dependencies"}
                return not busy & (set(snap) | set(esc)) and (snap, esc)

            snap, esc = wait_for("the jobs of phase 1", settled)
            t_done = time.monotonic() - t0
            ((performed, max_retry),) = q(
                "SELECT sum(retry), max(retry) FROM queue_job "
                "WHERE identity_key LIKE %s AND state = 'done'",
                (SNAPSHOT_KEY,),
            )
            ((snapshots, distinct),) = q(
                "SELECT count(*), count(DISTINCT commitment_id) "
                "FROM crm_iso_conduct_snapshot WHERE commitment_id = ANY(%s)",
                (ids,),
            )
            by_pid = dict(
                q(
                    "SELECT worker_pid, count(*) FROM queue_job "
                    "WHERE identity_key LIKE %s GROUP BY 1",
                    (SNAPSHOT_KEY,),
                )
            )
            per_node = {
                name: sum(c for pid, c in by_pid.items() if pid in node_pids)
                for name, node_pids in pids.items()
            }
            ((esc_state, esc_retry, esc_name, esc_msg),) = q(
                "SELECT state, retry, exc_name, exc_message FROM queue_job "
                "WHERE identity_key LIKE %s",
                (ESCALATE_KEY,),
            )
            figures += [
                ("snapshot jobs enqueued", enqueued),
                ("enqueue time (s)", f"{t_enqueue:.1f}"),
                ("all jobs settled after (s)", f"{t_done:.1f}"),
                ("jobs per second", f"{args.jobs / t_done:.1f}"),
                ("snapshot jobs done", snap.get("done", 0)),
                ("snapshot jobs failed", snap.get("failed", 0)),
                ("performs of done jobs (sum of retry)", performed),
                ("snapshots stored / distinct commitments", f"{snapshots}/{distinct}"),
                (
                    f"jobs run by {' / '.join(per_node)}",
                    "/".join(map(str, per_node.values())),
                ),
                ("escalation job: state, tries", f"{esc_state}, {esc_retry}"),
                ("escalation job: error", f"{esc_name}: {esc_msg}"[:90]),
            ]
            checks += [
                ("every job enqueued once", enqueued == args.jobs, enqueued),
                ("every job done", snap == {"done": args.jobs}, snap),
                (
                    "each performed once",
                    (performed, max_retry) == (args.jobs, 1),
                    (performed, max_retry),
                ),
                (
                    "each effect once",
                    (snapshots, distinct) == (args.jobs,) * 2,
                    (snapshots, distinct),
                ),
                (
                    "failing job retried, then failed",
                    esc == {"failed": 1}
                    and esc_retry == 5
                    and "No manager to tell" in (esc_msg or ""),
                    (esc, esc_retry, esc_name),
                ),
            ]

            if args.standalone:  # one node: nothing to fail over to
                return report(figures, checks)
            # ---- phase 2: the leader killed in the middle of a slow job
            suite.psql(
                f"UPDATE crm_iso_conduct_code SET active = true WHERE id = {slow_code}",
                db,
            )
            enqueue(db, escalations=False)
            slow_key = f"crm_iso_complaints.conduct_snapshot:{slow_id}:%"
            wait_for(
                "the slow job to start",
                lambda: job_states(q, slow_key).get("started"),
                60,
            )
            time.sleep(3)
            t_kill = time.monotonic()
            a.kill()
            wait_for("B's runner to lead", lambda: RUNNER_READY in b.log_text(), 120)
            t_lead = time.monotonic() - t_kill
            wait_for("the slow job", lambda: job_states(q, slow_key) == {"done": 1})
            t_rerun = time.monotonic() - t_kill
            b.group_pids()
            ((slow_worker, slow_retry),) = q(
                "SELECT worker_pid, retry FROM queue_job WHERE identity_key LIKE %s",
                (slow_key,),
            )
            ((slow_snapshots,),) = q(
                "SELECT count(*) FROM crm_iso_conduct_snapshot "
                "WHERE commitment_id = %s",
                (slow_id,),
            )
            requeued = "Re-queued dead job" in b.log_text()

            def runner_of(pid):
                return next((n.name for n in nodes if pid in n.pids), pid)

            figures += [
                ("kill -9 node-a, B's runner leads after (s)", f"{t_lead:.1f}"),
                ("slow job done after the kill (s)", f"{t_rerun:.1f}"),
                (
                    "slow job: tries, run by",
                    f"{slow_retry}, {runner_of(slow_worker)}",
                ),
                ("slow job snapshots", slow_snapshots),
            ]
            checks += [
                ("dead job re-queued by node-b", requeued, requeued),
                (
                    "dead job re-run by node-b",
                    slow_worker in b.group_pids(),
                    slow_worker,
                ),
                ("its effect once", slow_snapshots == 1, slow_snapshots),
            ]
        finally:
            for node in nodes:
                kept.setdefault("nodes", {})[node.name] = {
                    "pids": sorted(node.pids),
                    "log": str(node.log_path),
                }
                node.stop()
    finally:
        harness.close_inprocess(db)
        with contextlib.suppress(OSError):
            setup_conf.unlink()
        bench_register.cleanup_confs(db)
    return report(figures, checks)


def report(figures, checks):
    print("\n== queue_job on two nodes")
    for label, value in figures:
        print(f"  {label:<44} {value}")
    print("\n== checks")
    for label, ok, value in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<40} {value}")
    return all(ok for _label, ok, _value in checks)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sleep", type=int, default=60)
    parser.add_argument(
        "--template",
        metavar="DB",
        help="copy DB, a database with crm_iso_complaints installed without demo "
        "data, instead of installing it",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the database and the node logs, described in DIR/run.json",
    )
    parser.add_argument(
        "--standalone",
        action="store_true",
        help="one node without queue_job in server_wide_modules, served by "
        "queue_job's standalone runner (python -m odoo.addons.queue_job.jobrunner); "
        "phase 1 only",
    )
    args = parser.parse_args(argv)
    # the jobs must be queued (crm_iso_job.py follows queue_job's no-delay switch,
    # which make test sets for its own tests)
    os.environ.pop("QUEUE_JOB__NO_DELAY", None)
    started = time.monotonic()
    suite = crm_suite.Suite()
    db = f"crm_iso_jobs_{uuid.uuid4().hex[:8]}"
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    tmp = args.keep or tempfile.mkdtemp(prefix="crm_iso_jobs_")
    kept = {"db": db, "jobs": args.jobs}
    try:
        passed = run(suite, db, args, tmp, kept)
    except crm_suite.SuiteError as exc:
        print(f"jobs bench aborted: {exc}", file=sys.stderr)
        passed = False
    finally:
        harness.close_inprocess(db)
        (crm_suite.STATE / f"install-{db}.conf").unlink(missing_ok=True)
        if args.keep:
            (Path(tmp) / "run.json").write_text(json.dumps(kept), encoding="utf-8")
        else:
            suite.drop_db(db)
            subprocess.run(["rm", "-rf", tmp], check=False)
    print(f"total {time.monotonic() - started:.0f}s: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
