# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suite's background work on two real Odoo nodes running queue_job's
runner (bench/bench_jobs.py, its checks in full): 1,000 real suite jobs each
done exactly once, a job that cannot succeed retried and then reported as
failed, the leader node killed in the middle of a job, whose effect then
happens once, run by the other node, and the event register under simultaneous
registrations and transitions sent to both nodes: one chain per company, every
link and the integrity check intact (bench_register.py's checks)."""

import subprocess
import sys

from .conftest import REPO


def test_jobs_on_two_nodes_done_once_nothing_lost():
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_jobs.py"), "--jobs", "1000"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    checks = [line for line in run.stdout.splitlines() if "PASS " in line]
    # 9 checks of the jobs, 10 of the register (3 of the requests, 3 per
    # company, the integrity check)
    assert len(checks) == 19 and "FAIL " not in run.stdout, output[-4000:]
