# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaint formulas: the assessment matrix and the lifecycle, in one place.

Assessment (ISO 10002, 8.4 initial assessment): each complaint is rated on
severity (1-4), impact (1-4) and complexity (1-3, optional: 1 when not rated).
Its score is ``severity x impact x complexity`` (1 to 48) and maps to the helpdesk
priority:

=========  =============
score      priority
=========  =============
1 - 4      0 (low)
5 - 12     1 (medium)
13 - 24    2 (high)
25 - 48    3 (very high)
=========  =============
"""

SEVERITIES = [("1", "Minor"), ("2", "Moderate"), ("3", "Major"), ("4", "Critical")]
IMPACTS = [
    ("1", "One customer"),
    ("2", "Several customers"),
    ("3", "Many customers"),
    ("4", "Public, safety or regulatory"),
]
COMPLEXITIES = [("1", "Simple"), ("2", "Standard"), ("3", "Complex")]

PRIORITY_THRESHOLDS = ((4, "0"), (12, "1"), (24, "2"), (48, "3"))


def complaint_assessment_score(severity, impact, complexity=None):
    """Score of the severity x impact (x complexity) matrix; 0 when not rated."""
    if not severity or not impact:
        return 0
    return int(severity) * int(impact) * int(complexity or 1)


def priority_from_score(score):
    """Helpdesk priority ('0'..'3') of an assessment score; None when not rated."""
    if not score:
        return None
    return next(priority for top, priority in PRIORITY_THRESHOLDS if score <= top)


# Lifecycle (ISO 10002, 8.2-8.8). Each state lists the states it may move to.
# "duplicate": merged into the complaint kept, from any state of its handling
# (models/helpdesk_ticket_merge.py).
STATES = [
    ("received", "Received"),
    ("acknowledged", "Acknowledged"),
    ("assessed", "Assessed"),
    ("investigation", "Under investigation"),
    ("response", "Response proposed"),
    ("closed", "Closed"),
    ("rejected", "Rejected (not a complaint)"),
    ("reopened", "Reopened"),
    ("duplicate", "Closed as a duplicate"),
]
TRANSITIONS = {
    "received": ("acknowledged", "rejected", "duplicate"),
    "acknowledged": ("assessed", "rejected", "duplicate"),
    "assessed": ("investigation", "rejected", "duplicate"),
    "investigation": ("response", "duplicate"),
    "response": ("closed", "reopened", "duplicate"),
    "closed": ("reopened",),
    "reopened": ("investigation", "duplicate"),
    "rejected": (),
    "duplicate": (),
}
# states in which the complaint is no longer being handled
FINAL_STATES = ("closed", "rejected", "duplicate")
# the acknowledgement clock runs until the complaint leaves "received"
ACK_PENDING_STATES = ("received",)
