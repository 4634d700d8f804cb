# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suite's background work on two real Odoo nodes running queue_job's
runner (bench/bench_jobs.py --keep runs them): 1,000 real suite jobs each done
exactly once, a job that cannot succeed retried and then reported as failed,
the leader node killed in the middle of a job, whose effect then happens once,
run by the other node, and the event register under simultaneous
registrations and transitions sent to both nodes. Then one node served by
queue_job's standalone runner instead of its server-wide one.

The bench keeps its database: every fact is read here, from the database
(and, for the requests each node answered, from the node's own log), not
from what the bench printed."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, odoo_shell

sys.path.insert(0, str(REPO / "bench"))

import harness

SNAPSHOT_KEY = "crm_iso_complaints.conduct_snapshot:%"
ESCALATE_KEY = "crm_iso_complaints.escalate_overdue:%"
# werkzeug's access line of a JSON-RPC call answered 200 (Odoo 19 appends
# "#model.method" to the path it logs)
RPC_ANSWERED = re.compile(r'"POST /jsonrpc(#\S*)? HTTP/1\.[01]" 200 ')


@pytest.fixture
def bench_jobs(suite, tmp_path, complaints_template):
    """Run bench/bench_jobs.py --keep with args on a copy of the installed
    template; yield (run.json, a query function on the kept database); drop
    the database afterwards."""
    kept = []

    def run(*args, timeout):
        res = subprocess.run(
            [sys.executable, str(REPO / "bench" / "bench_jobs.py")]
            + [*args, "--template", complaints_template, "--keep", str(tmp_path)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        facts = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
        kept.append(facts["db"])
        # the bench's own verdict counts too, but is not the only one
        assert res.returncode == 0, (res.stdout + res.stderr)[-4000:]
        return facts, lambda sql, params=None: harness.query(
            suite, facts["db"], sql, params
        )

    yield run
    for db in kept:
        suite.drop_db(db)


def assert_jobs_done_once(q, facts):
    """Every snapshot job done, performed once, one snapshot per commitment."""
    jobs = facts["jobs"]
    # (the slow commitment's job, killed once and run again, is checked apart)
    assert q(
        "SELECT state, count(*), sum(retry), max(retry) FROM queue_job "
        "WHERE identity_key LIKE %s AND split_part(identity_key, ':', 2)::int "
        "= ANY(%s) GROUP BY state",
        (SNAPSHOT_KEY, facts["commitments"]),
    ) == [("done", jobs, jobs, 1)]
    ((snapshots, commitments),) = q(
        "SELECT count(*), count(DISTINCT commitment_id) FROM "
        "crm_iso_conduct_snapshot WHERE commitment_id = ANY(%s)",
        (facts["commitments"],),
    )
    assert (snapshots, commitments) == (jobs, jobs)


def assert_register_intact(suite, q, facts):
    """The raced registrations and acknowledgements, each once in the event
    register, numbered once, and one unforked chain per company."""
    for event, where, rows in (
        ("receipt", "t.name LIKE 'Raced registration %%'", 10),
        ("transition", "t.complaint_state = 'acknowledged'", 30),
    ):
        assert q(
            "SELECT count(*) FILTER (WHERE e.n = 1), count(*) FROM helpdesk_ticket "
            "t, LATERAL (SELECT count(*) AS n FROM crm_iso_event WHERE event = %s "
            "AND res_model = 'helpdesk.ticket' AND res_id = t.id) e WHERE " + where,
            (event,),
        ) == [(rows, rows)], event
    # references: every complaint numbered, no number twice in a company
    assert (
        q(
            "SELECT company_id, number, count(*) FROM helpdesk_ticket "
            "WHERE is_complaint GROUP BY 1, 2 HAVING count(*) > 1 OR number = '/'"
        )
        == []
    )
    # per company: sequences 1..n, no fork, each prev_hash the previous hash,
    # the head on the last row
    chains = q(
        "SELECT e.company_id, count(*), min(e.sequence), max(e.sequence), "
        "count(*) FILTER (WHERE e.fork <> 0), "
        "count(*) FILTER (WHERE coalesce(e.prev_hash, '') <> coalesce(e.prev, '')), "
        "bool_and(h.sequence = e.last AND h.hash = e.last_hash) "
        "FROM (SELECT *, lag(hash) OVER w AS prev, "
        "last_value(sequence) OVER w2 AS last, last_value(hash) OVER w2 AS last_hash "
        "FROM crm_iso_event WINDOW w AS (PARTITION BY company_id "
        "ORDER BY sequence, fork, id), w2 AS (w ROWS BETWEEN UNBOUNDED PRECEDING "
        "AND UNBOUNDED FOLLOWING)) e "
        "LEFT JOIN crm_iso_event_head h ON h.company_id = e.company_id "
        "GROUP BY e.company_id"
    )
    assert len(chains) >= 2, chains
    assert all(
        (low, high, forks, broken, head) == (1, rows, 0, 0, True)
        for _company, rows, low, high, forks, broken, head in chains
    ), chains
    verified = odoo_shell(
        suite,
        facts["db"],
        "print('BREAKS', len(env['crm.iso.event']._verify()['breaks']))",
    )
    assert "BREAKS 0" in verified, verified


def test_jobs_on_two_nodes_done_once_nothing_lost(suite, bench_jobs):
    # the slow job sleeps 20 s: the leader is killed 3 s after it starts, and
    # the sleeping transaction holds the job's lock until its sleep ends
    facts, q = bench_jobs("--jobs", "1000", "--sleep", "20", timeout=900)
    nodes = facts["nodes"]
    assert sorted(nodes) == ["node-a", "node-b"], nodes
    assert_jobs_done_once(q, facts)
    # the escalation that cannot succeed: tried 5 times, then failed
    ((state, tries, message),) = q(
        "SELECT state, retry, exc_message FROM queue_job WHERE identity_key LIKE %s",
        (ESCALATE_KEY,),
    )
    assert (state, tries) == ("failed", 5) and "No manager to tell" in message
    # phase 1 ran on the leader, node-a; the job it was killed in, on node-b,
    # once: one snapshot of its commitment
    runs = dict(
        q(
            "SELECT worker_pid, count(*) FROM queue_job WHERE identity_key LIKE %s "
            "AND split_part(identity_key, ':', 2)::int = ANY(%s) GROUP BY 1",
            (SNAPSHOT_KEY, facts["commitments"]),
        )
    )
    pids = {name: set(node["pids"]) for name, node in nodes.items()}
    assert set(runs) <= pids["node-a"], (runs, pids)
    slow_key = f"crm_iso_complaints.conduct_snapshot:{facts['slow_commitment']}:%"
    ((slow_state, slow_worker),) = q(
        "SELECT state, worker_pid FROM queue_job WHERE identity_key LIKE %s",
        (slow_key,),
    )
    assert slow_state == "done" and slow_worker in pids["node-b"], (
        slow_worker,
        pids,
    )
    assert q(
        "SELECT count(*) FROM crm_iso_conduct_snapshot WHERE commitment_id = %s",
        (facts["slow_commitment"],),
    ) == [(1,)]
    # both nodes answered the register's requests, sent round-robin
    answered = {
        name: len(RPC_ANSWERED.findall(Path(node["log"]).read_text("utf-8")))
        for name, node in nodes.items()
    }
    assert all(answered.values()) and sum(answered.values()) >= 40, answered
    assert_register_intact(suite, q, facts)


def test_jobs_with_the_standalone_runner(suite, bench_jobs):
    """queue_job's standalone runner beside an Odoo without queue_job in its
    server_wide_modules (common in production): the suite's work is queued
    there too, and every job done once (bench/bench_jobs.py --standalone)."""
    facts, q = bench_jobs("--jobs", "20", "--standalone", timeout=600)
    assert list(facts["nodes"]) == ["node-a"]
    assert_jobs_done_once(q, facts)
    assert_register_intact(suite, q, facts)
