# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pytest, for every test of the repository (``make test`` sets the same).

The suite's background work follows queue_job's own decision (crm_iso_job.py):
queued whenever queue_job is installed, unless its no-delay switch is on. No
runner serves a test database, so the tests run the work at once, the way
queue_job documents for tests; ``tests/common.py``'s ``job_runner`` turns the
switch off where a test checks the jobs themselves.
"""

import os

os.environ.setdefault("QUEUE_JOB__NO_DELAY", "1")
