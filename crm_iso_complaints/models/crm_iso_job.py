# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Background work of the suite, on OCA's queue_job.

Every fan-out of the suite (one piece of work per record or per person) goes
through :meth:`CrmIsoJob._crm_iso_delay`, the one place that decides whether it
runs as a queue_job job or at once. The decision is queue_job's own
(``queue_job.utils.must_run_without_delay``), so that the suite's work behaves
like every other addon's ``with_delay``:

* queue_job is installed in the database (the suite depends on it): the work is
  queued, on the given channel, and shared by every Odoo node; whichever runner
  serves the database runs it: the one started inside Odoo
  (``server_wide_modules = web,queue_job``) or queue_job's standalone runner
  (``python -m odoo.addons.queue_job.jobrunner``), which the Odoo server's own
  configuration knows nothing of;
* unless one of queue_job's no-delay switches is on: the environment variable
  ``QUEUE_JOB__NO_DELAY`` (set by ``make test``: the tests run the work at once)
  or the context key ``queue_job__no_delay``. The work then runs at once in the
  caller's transaction. A piece of work that asks to be retried later
  (``RetryableJobError``) is then left, undone, to the next run of its trigger
  (the cron), as the runner would leave it to a later try.

The context key comes from the caller, a client included: queue_job honours it
for every ``with_delay`` of every addon, so following it opens nothing new. A
client that sends it only makes its own request do the same work, with the same
checks, at once; the work's effect and who may trigger it do not change.

Every job method is private (no RPC reaches it) and idempotent: it checks, in
its own transaction, the row or stamp its effect leaves before acting, so a job
re-run after a crash of its node has its effect once.
"""

import logging

from odoo import api, models

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.utils import must_run_without_delay

_logger = logging.getLogger(__name__)


class _AtOnce:
    """``records.method(...)`` now, in a savepoint; a retry request is logged."""

    __slots__ = ("_description", "_records")

    def __init__(self, records, description):
        self._records = records
        self._description = description

    def __getattr__(self, name):
        method = getattr(self._records, name)

        def call(*args, **kwargs):
            try:
                with self._records.env.cr.savepoint():
                    return method(*args, **kwargs)
            except RetryableJobError as err:
                _logger.info("%s left to the next run: %s", self._description, err)
                return None

        return call


class CrmIsoJob(models.AbstractModel):
    _name = "crm.iso.job"
    _description = "Background work of the ISO suite"

    @api.model
    def _crm_iso_runner_serves(self):
        """True when the work is queued for a runner: queue_job's own decision
        (its ``QUEUE_JOB__NO_DELAY`` variable and ``queue_job__no_delay`` key)."""
        return not must_run_without_delay(self.env)

    @api.model
    def _crm_iso_delay(self, records, *, channel, identity_key, description, **options):
        """Return ``records`` ready to call one method on, as a job or at once.

        ``identity_key``: a string naming the record(s) and the purpose, so that
        the same work is never queued twice while a job for it is pending.
        ``options``: other ``with_delay`` options (``priority``, ``eta``,
        ``max_retries``). Called as a job, the method returns the queued job;
        at once, its own result.
        """
        if not self._crm_iso_runner_serves():
            return _AtOnce(records, description)
        return records.with_delay(
            channel=channel,
            identity_key=identity_key,
            description=description,
            **options,
        )
