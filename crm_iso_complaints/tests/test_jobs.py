# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Background work on queue_job: the crons enqueue one job per record and
purpose, on the suite's channels; a job has its effect once, however often it
runs; a job that cannot succeed is retried, then reported failed."""

from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import MANAGER, MONDAY_10, ComplaintCase, job_runner, try_job

OCT_1, NOV_1 = date(2026, 10, 1), date(2026, 11, 1)
WARN_MONDAY = datetime(2026, 11, 23, 14, 30)  # past 50% of the 8 h to acknowledge


@tagged("post_install", "-at_install")
class TestSuiteJobs(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Jobs Mall"})
        cls.env.user.company_ids |= cls.company
        cls.manager.company_ids |= cls.company
        cls.code = cls.env["crm.iso.conduct.code"].create(
            {"name": "Promises", "company_id": cls.company.id, "published": True}
        )
        cls.commitment = cls.env["crm.iso.conduct.commitment"].create(
            {
                "code_id": cls.code.id,
                "name": "Acknowledge within 8 working hours",
                "indicator": "ack_within_pct",
                "parameter": 8,
                "target": 100,
                "owner_id": cls.manager.id,
            }
        )
        cls.Commitment = cls.env["crm.iso.conduct.commitment"]
        cls.Action = cls.env["mgmtsystem.action"]
        cls.Snapshot = cls.env["crm.iso.conduct.snapshot"]

    def _missed_october(self):
        """One complaint of October 2026 acknowledged after 12 working hours."""
        with freeze_time(datetime(2026, 10, 5, 9, 0)):
            complaint = self.new_complaint(company_id=self.company.id)
        complaint.sudo()._crm_iso_write(
            {
                "complaint_state": "acknowledged",
                "complaint_acknowledged_date": datetime(2026, 10, 6, 9, 0),
                "complaint_ack_work_hours": 12,
            }
        )

    def _snapshots(self):
        return self.Snapshot.search([("commitment_id", "=", self.commitment.id)])

    def _stored_jobs(self, key):
        return self.env["queue.job"].search([("identity_key", "=", key)])

    def _overdue_action(self, company):
        return self.Action.create(
            {
                "name": "Late",
                "crm_iso_origin": "complaint",
                "company_id": company.id,
                "date_deadline": date.today() - timedelta(days=1),
            }
        )

    # ------------------------------------------------------------ snapshots
    def test_snapshot_cron_enqueues_one_job_per_commitment_and_period(self):
        self._missed_october()
        key = f"crm_iso_complaints.conduct_snapshot:{self.commitment.id}:{OCT_1}"
        with job_runner(self.env), trap_jobs() as trap:
            queued = self.Commitment._cron_snapshot_periods(today=date(2026, 11, 15))
            self.Commitment._cron_snapshot_periods(today=date(2026, 11, 20))
            mine = [j for j in trap.enqueued_jobs if j.recordset == self.commitment]
            self.assertFalse(queued, "nothing is stored before the job runs")
            self.assertEqual(len(mine), 1, "enqueued twice, one job")
            self.assertEqual(mine[0].channel, "root.crm_iso.conduct")
            self.assertEqual(mine[0].identity_key, key)
            self.assertEqual(mine[0].args, (OCT_1, NOV_1))
            self.assertFalse(self._snapshots())
            trap.perform_enqueued_jobs()
        snapshot = self._snapshots()
        self.assertEqual(len(snapshot), 1)
        self.assertEqual(
            (snapshot.period_start, snapshot.value, snapshot.status),
            (OCT_1, 0.0, "missed"),
        )
        self.assertEqual(len(self.commitment.activity_ids), 1)
        # the job re-run (a node died after its commit): nothing changes
        self.assertFalse(self.commitment._crm_iso_snapshot_period(OCT_1, NOV_1))
        self.assertEqual(self._snapshots(), snapshot)
        self.assertEqual(len(self.commitment.activity_ids), 1)

    def test_snapshot_job_stored_once_and_done_once(self):
        self._missed_october()
        key = f"crm_iso_complaints.conduct_snapshot:{self.commitment.id}:{OCT_1}"
        with job_runner(self.env):
            self.Commitment._cron_snapshot_periods(today=date(2026, 11, 15))
            self.Commitment._cron_snapshot_periods(today=date(2026, 11, 15))
        job = self._stored_jobs(key)
        self.assertEqual(len(job), 1)
        self.assertEqual((job.state, job.channel), ("pending", "root.crm_iso.conduct"))
        self.assertEqual(job.job_function_id._parse_retry_pattern(), {1: 60, 3: 600})
        self.assertEqual(try_job(self.env, job).state, "done")
        self.assertEqual(len(self._snapshots()), 1)
        try_job(self.env, job)
        self.assertEqual(len(self._snapshots()), 1)
        self.assertEqual(len(self.commitment.activity_ids), 1)
        with job_runner(self.env):
            self.Commitment._cron_snapshot_periods(today=date(2026, 11, 15))
        self.assertEqual(self._stored_jobs(key), job, "a stored period: no new job")

    def test_snapshot_without_runner_at_once(self):
        self._missed_october()
        snapshots = self.Commitment._cron_snapshot_periods(today=date(2026, 11, 15))
        self.assertEqual(len(self._snapshots()), 1)
        self.assertIn(self._snapshots(), snapshots)
        self.assertFalse(
            self.env["queue.job"].search([("channel", "like", "root.crm_iso%")])
        )

    # ------------------------------------------------------------ escalation
    def test_escalation_cron_enqueues_one_job_per_action(self):
        action = self._overdue_action(self.env.company)
        with job_runner(self.env), trap_jobs() as trap:
            self.Action._cron_crm_iso_escalate_overdue()
            self.Action._cron_crm_iso_escalate_overdue()
            mine = [j for j in trap.enqueued_jobs if j.recordset == action]
            self.assertEqual(len(mine), 1)
            self.assertEqual(mine[0].channel, "root.crm_iso.escalation")
            self.assertEqual(
                mine[0].identity_key, f"crm_iso_complaints.escalate_overdue:{action.id}"
            )
            self.assertFalse(action.crm_iso_escalated)
            trap.perform_enqueued_jobs()
        self.assertTrue(action.crm_iso_escalated)
        self.assertEqual(len(action.activity_ids), 1)
        self.assertFalse(action._crm_iso_escalate_overdue(), "re-run: nothing")
        self.assertEqual(len(action.activity_ids), 1)

    def test_escalation_without_runner_at_once(self):
        action = self._overdue_action(self.env.company)
        self.Action._cron_crm_iso_escalate_overdue()
        self.assertTrue(action.crm_iso_escalated)
        self.assertEqual(len(action.activity_ids), 1)

    def test_escalation_with_nobody_to_tell_is_retried_then_failed(self):
        nobody = self.env["res.company"].create({"name": "Mall without managers"})
        managers = self.env.ref(MANAGER).user_ids
        managers.filtered(lambda u: nobody in u.company_ids).write(
            {"company_ids": [Command.unlink(nobody.id)]}
        )
        action = self._overdue_action(nobody)
        key = f"crm_iso_complaints.escalate_overdue:{action.id}"
        # without the runner: left to the next run of the cron, no error
        self.Action._cron_crm_iso_escalate_overdue()
        self.assertFalse(action.crm_iso_escalated)
        with job_runner(self.env):
            self.Action._cron_crm_iso_escalate_overdue()
        job = self._stored_jobs(key)
        self.assertEqual(job.max_retries, 5)
        now = datetime.combine(date.today(), time(8, 0))
        with freeze_time(now):
            try_job(self.env, job)
        self.assertEqual((job.state, job.retry), ("pending", 1))
        self.assertEqual(job.eta, now + timedelta(seconds=600), "retry pattern")
        with freeze_time(now):
            states = [try_job(self.env, job).state for _try in range(4)]
        self.assertEqual(states, ["pending", "pending", "pending", "failed"])
        self.assertEqual(job.eta, now + timedelta(seconds=3600), "retry pattern")
        self.assertEqual(job.retry, 5)
        self.assertIn("FailedJobError", job.exc_name)
        self.assertIn("No manager to tell", job.exc_message)
        self.assertIn("Mall without managers", job.exc_info)
        self.assertFalse(action.crm_iso_escalated)
        # nothing lost: once a manager works there, the next run escalates
        self.manager.company_ids |= nobody
        with job_runner(self.env):
            self.Action._cron_crm_iso_escalate_overdue()
        retried = self._stored_jobs(key) - job
        self.assertEqual(try_job(self.env, retried).state, "done")
        self.assertTrue(action.crm_iso_escalated)
        self.assertEqual(action.activity_ids.user_id, self.manager)

    # ------------------------------------------------------------ digests
    def test_deadline_digest_is_one_job_per_person_and_run(self):
        self.env.flush_all()
        self.env.cr.execute(  # the demo data's complaints: out of the count's way
            "UPDATE helpdesk_ticket SET complaint_ack_warned = TRUE, "
            "complaint_resolve_warned = TRUE, "
            "complaint_next_escalation_date = NULL WHERE is_complaint"
        )
        self.env.invalidate_all()
        with freeze_time(MONDAY_10):
            complaint = self.new_complaint(user_id=self.officer.id)
        Ticket = self.env["helpdesk.ticket"]
        mails = self.env["mail.mail"].search([]).ids
        with job_runner(self.env), trap_jobs() as trap:
            with freeze_time(WARN_MONDAY):
                Ticket._cron_complaint_deadlines()
                Ticket._cron_complaint_deadlines()  # nothing new: no job
            self.assertEqual(len(trap.enqueued_jobs), 1)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.recordset, self.officer)
            self.assertEqual(job.channel, "root.crm_iso.notify")
            self.assertEqual(
                job.identity_key,
                f"crm_iso_deadline_digest:{self.officer.id}:2026-11-23 14:30:00",
            )
            self.assertEqual([i["ticket_id"] for i in job.args[0]], complaint.ids)
            self.assertFalse(self.env["mail.mail"].search([("id", "not in", mails)]))
            trap.perform_enqueued_jobs()
        digest = self.env["mail.mail"].search([("id", "not in", mails)])
        self.assertEqual(digest.recipient_ids, self.officer.partner_id)
        self.assertIn(complaint.complaint_ref, digest.body_html)
