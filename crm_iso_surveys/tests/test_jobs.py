# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The survey work on queue_job: one post-resolution job per closing, loyalty
refresh jobs per company and chunk; each has its effect once."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.crm_iso_complaints.tests.common import (
    ComplaintCase,
    job_runner,
    try_job,
)
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestSurveyJobs(ComplaintCase, SatisfactionCase):
    def _responses(self, complaint):
        return self.env["survey.user_input"].search(
            [("crm_iso_complaint_id", "=", complaint.id)]
        )

    def _rows(self):
        return self.env["crm.iso.survey.invitation"].search(
            [("partner_id", "=", self.customer.id)]
        )

    def test_closing_enqueues_one_survey_job_done_once(self):
        self.plan.write({"post_resolution": True, "sequence": 1})
        with job_runner(self.env), trap_jobs() as trap:
            complaint = self.closed_complaint(crm_iso_touchpoint_id=self.touchpoint.id)
            complaint._crm_iso_send_post_resolution_survey()
            mine = [j for j in trap.enqueued_jobs if j.recordset == complaint]
            self.assertEqual(len(mine), 1, "enqueued twice, one job")
            job = mine[0]
            self.assertEqual(job.channel, "root.crm_iso.survey")
            self.assertEqual(
                job.identity_key, f"crm_iso_surveys.post_resolution:{complaint.id}"
            )
            self.assertEqual(job.user_id, self.manager.id, "runs as who closed it")
            self.assertFalse(self._responses(complaint))
            trap.perform_enqueued_jobs()
        response = self._responses(complaint)
        self.assertEqual(len(response), 1)
        self.assertEqual(response.partner_id, self.customer)
        self.assertEqual(response.crm_iso_channel, "email")
        self.assertEqual(self._rows().mapped("state"), ["sent"])
        # the job re-run after a crash: nothing more
        complaint._crm_iso_post_resolution_survey(*job.args)
        self.assertEqual(self._responses(complaint), response)
        self.assertEqual(len(self._rows()), 1)
        self.assertEqual(complaint.crm_iso_survey_requested, job.args[0])

    def test_closing_stores_the_job_of_the_closer(self):
        """A manager without rights on queue.job closes: the job is stored,
        once, to run as that manager in the complaint's company."""
        self.plan.write({"post_resolution": True, "sequence": 1})
        with job_runner(self.env):
            complaint = self.closed_complaint()
            complaint.with_user(self.manager)._crm_iso_send_post_resolution_survey()
        job = self.env["queue.job"].search(
            [("identity_key", "=", f"crm_iso_surveys.post_resolution:{complaint.id}")]
        )
        self.assertEqual(len(job), 1)
        self.assertEqual(job.user_id, self.manager)
        self.assertEqual(job.company_id, complaint.company_id)
        self.assertEqual(job.channel, "root.crm_iso.survey")
        self.assertFalse(self._responses(complaint))
        self.assertEqual(try_job(self.env, job).state, "done")
        self.assertEqual(len(self._responses(complaint)), 1)
        try_job(self.env, job)
        self.assertEqual(len(self._responses(complaint)), 1)
        self.assertEqual(len(self._rows()), 1)

    def test_closing_without_runner_surveys_at_once(self):
        self.plan.write({"post_resolution": True, "sequence": 1})
        complaint = self.closed_complaint()
        self.assertEqual(len(self._responses(complaint)), 1)
        self.assertTrue(complaint.crm_iso_survey_requested)

    def test_loyalty_cron_enqueues_per_company_chunk(self):
        partner = self.env["res.partner"].create({"name": "Maryam"})
        with freeze_time(datetime(2026, 6, 1)):
            self.respond({self.q_nps: 10}, partner=partner)
        self.assertEqual(partner.crm_iso_loyalty_segment, "champion")
        company = self.env.company
        later = datetime(2026, 6, 1) + timedelta(days=company.crm_iso_lost_days + 1)
        Partner = self.env["res.partner"]
        with freeze_time(later), job_runner(self.env), trap_jobs() as trap:
            Partner._cron_crm_iso_refresh_loyalty()
            Partner._cron_crm_iso_refresh_loyalty()
            mine = [j for j in trap.enqueued_jobs if partner in j.recordset]
            self.assertEqual(len(mine), 1, "enqueued twice, one job")
            job = mine[0]
            ids = job.recordset.ids
            self.assertEqual(job.channel, "root.crm_iso.loyalty")
            self.assertEqual(
                job.identity_key,
                f"crm_iso_surveys.loyalty:{company.id}:{min(ids)}-{max(ids)}",
            )
            self.assertEqual(job.recordset.env.company, company)
            self.assertEqual(partner.crm_iso_loyalty_segment, "champion")
            trap.perform_enqueued_jobs()
            partner.invalidate_recordset()
            self.assertEqual(partner.crm_iso_loyalty_segment, "lost")
            job.recordset._crm_iso_refresh_loyalty()
            partner.invalidate_recordset()
            self.assertEqual(partner.crm_iso_loyalty_segment, "lost")
