# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suite's background work on two real Odoo nodes running queue_job's
runner (bench/bench_jobs.py, its checks in full): 1,000 real suite jobs each
done exactly once, a job that cannot succeed retried and then reported as
failed, the leader node killed in the middle of a job, whose effect then
happens once, run by the other node, and the event register under simultaneous
registrations and transitions sent to both nodes: one chain per company, every
link and the integrity check intact (bench_register.py's checks). Then one node
served by queue_job's standalone runner instead of its server-wide one."""

import subprocess
import sys

from .conftest import REPO


def bench_jobs(*args, timeout):
    """Run bench/bench_jobs.py with args; return its standard output (it exits
    non-zero when any of its checks fails)."""
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_jobs.py"), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    return run.stdout


def test_jobs_on_two_nodes_done_once_nothing_lost():
    stdout = bench_jobs("--jobs", "1000", timeout=900)
    checks = [line for line in stdout.splitlines() if "PASS " in line]
    # 9 checks of the jobs, 10 of the register (3 of the requests, 3 per
    # company, the integrity check)
    assert len(checks) == 19 and "FAIL " not in stdout, stdout[-4000:]


def test_jobs_with_the_standalone_runner():
    """queue_job's standalone runner beside an Odoo without queue_job in its
    server_wide_modules (common in production): the suite's work is queued
    there too, and every job done once (bench/bench_jobs.py --standalone)."""
    stdout = bench_jobs("--jobs", "20", "--standalone", timeout=600)
    assert "PASS  every job done" in stdout, stdout[-4000:]
