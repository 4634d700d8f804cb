# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ISO 10002 audit: question -> evidence -> score, in one place.

Each question of the template (``crm.iso.audit.question``, data in
``data/crm_iso_audit_data.xml``) may carry an evidence ``code``. The Prefill
button of an audit (``mgmtsystem.audit.action_crm_iso_prefill``) asks
``mgmtsystem.audit._crm_iso_audit_evidence(date_from, date_to)`` for the
evidence of the audited period and writes, on each question with a code, the
evidence text and the score below. Scores run from 0 to 100; a question passes
at :data:`PASS_SCORE` (the auditor's confirmed or overridden score decides).

=====================  ==========================================  ===============
code                   evidence (where it is computed)              score
=====================  ==========================================  ===============
policy                 active complaint deadline policies of the    presence
                       company (crm.iso.complaint.policy)
objectivity            complaints received in the period with an    presence
                       objectivity record: staff complained about
                       or a declared conflict (helpdesk.ticket)
register_intact        the event register's hash chain of the       presence
                       company (crm.iso.event._verify, the
                       integrity check's own walk)
ack_in_time            share acknowledged in time of the period's   share
                       complaints (crm.iso.complaint.report.get_kpis)
resolve_in_time        share resolved in time, same KPIs            share
previous_audit         an ISO 10002 audit of the company closed in  presence
                       the year before the period ends
review_held            a management review of the company closed    presence
                       in the year before the period ends
process_satisfaction   CSAT of the answers to the surveys sent      share
                       after resolved complaints (crm_iso_surveys:
                       crm.iso.satisfaction.report.get_kpis)
competence_coverage    share of the period's counter shifts         share
                       staffed by certified people (crm_mall_counter:
                       crm.mall.competence._crm_mall_shift_share)
=====================  ==========================================  ===============

``presence``: 100 when found, 0 when not. ``share``: the percentage itself;
no data in the period (no complaint, no answer, no shift) prefills no score:
the evidence says so and the auditor scores the question.
"""

PASS_SCORE = 60.0


def presence_score(found):
    """Score of a piece of evidence that must exist."""
    return 100.0 if found else 0.0


def share_score(percentage):
    """Score of a share in percent; None (no data) gives no score."""
    if percentage is None:
        return None
    return round(max(0.0, min(100.0, float(percentage))), 1)


def passes(score):
    return score is not None and score >= PASS_SCORE


def average(scores):
    """Mean of the scores given (None ignored); None when there is none."""
    scores = [score for score in scores if score is not None]
    return round(sum(scores) / len(scores), 1) if scores else None
