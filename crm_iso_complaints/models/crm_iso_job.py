# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Background work of the suite, on OCA's queue_job.

Every fan-out of the suite (one piece of work per record or per person) goes
through :meth:`CrmIsoJob._crm_iso_delay`, the one place that decides whether it
runs as a queue_job job or at once:

* when the server loads ``queue_job`` as a server-wide module
  (``server_wide_modules = web,queue_job``), a job runner serves the database:
  the work is queued, on the given channel, and shared by every Odoo node;
* otherwise (a single server started without the runner, the test runner), no
  runner would ever pick a queued job up, so the work runs at once in the
  caller's transaction. A piece of work that asks to be retried later
  (``RetryableJobError``) is then left, undone, to the next run of its trigger
  (the cron), as the runner would leave it to a later try.

The decision reads the server's configuration only, never the caller's context:
a caller cannot queue work that the server would never run, nor run inline work
meant for the runner.

Every job method is private (no RPC reaches it) and idempotent: it checks, in
its own transaction, the row or stamp its effect leaves before acting, so a job
re-run after a crash of its node has its effect once.
"""

import logging

from odoo import api, models
from odoo.tools import config

from odoo.addons.queue_job.exception import RetryableJobError

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
        """True when this server runs queue_job's runner (server-wide module)."""
        return "queue_job" in (config["server_wide_modules"] or [])

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
