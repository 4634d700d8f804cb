# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Satisfaction metrics (ISO 10004): the one documented place of every formula.

Per response (stored on ``survey.user_input`` when it is completed):

* **CSAT**: a CSAT question answered in the top-N box of its scale (N = 2 by
  default: 4 or 5 on a 1-5 scale) is *satisfied* (100), otherwise 0.
* **NPS class**: a 0-10 answer of 9-10 is a *promoter* (+100), 0-6 a *detractor*
  (-100), 7-8 *passive* (0). The average of these contributions over responses is
  the NPS, that is %promoters - %detractors.
* **CES**: the 1-7 effort answer itself; lower is better.
* **Satisfaction index**: the weighted mean of the driver questions' answers, each
  normalised to 0-100 on its own scale: ``100 * (value - min) / (max - min)``.

Over a sample of n responses (functions below): CSAT % = 100 * satisfied / n;
NPS = 100 * (P - D) / n; CES = mean; index = mean. A survey with several CSAT
(or NPS) questions gives each response the mean of their values, and the sample
counts it as that fraction of a satisfied response (of a promoter/detractor), so
``get_kpis`` and the pivot's averages agree. Confidence intervals at 95%:
Wilson's interval for the CSAT proportion; for NPS, the normal approximation with
the variance of the +1/0/-1 score: ``(p + d - (p - d)^2) / n``.
"""

import math

Z95 = 1.959963984540054
NPS_PROMOTER_MIN = 9
NPS_DETRACTOR_MAX = 6


def csat_satisfied(value, scale_max, top_box=2):
    """100 when the answer is in the top-``top_box`` of the scale, else 0."""
    return 100.0 if value > scale_max - top_box else 0.0


def nps_contribution(value):
    """+100 for a promoter (9-10), -100 for a detractor (0-6), 0 for a passive."""
    if value >= NPS_PROMOTER_MIN:
        return 100.0
    if value <= NPS_DETRACTOR_MAX:
        return -100.0
    return 0.0


def normalise(value, scale_min, scale_max):
    """An answer on its scale, as 0-100."""
    return 100.0 * (value - scale_min) / (scale_max - scale_min)


def weighted_index(pairs):
    """Weighted mean of ``(normalised value, weight)`` pairs; None without weight."""
    total = sum(weight for _value, weight in pairs)
    if not total:
        return None
    return sum(value * weight for value, weight in pairs) / total


def csat_pct(satisfied, n):
    return 100.0 * satisfied / n if n else None


def nps(promoters, detractors, n):
    return 100.0 * (promoters - detractors) / n if n else None


def wilson_interval(successes, n, z=Z95):
    """95% Wilson interval of a proportion, in percent; None for n = 0."""
    if not n:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (100.0 * (centre - margin), 100.0 * (centre + margin))


def nps_interval(promoters, detractors, n, z=Z95):
    """95% interval of the NPS (normal approximation); None for n = 0."""
    if not n:
        return None
    p, d = promoters / n, detractors / n
    score = p - d
    margin = z * math.sqrt(max(p + d - score * score, 0.0) / n)
    return (100.0 * (score - margin), 100.0 * (score + margin))


# The same per-response formulas in SQL, over the answer lines of a set of
# responses (``%(ids)s``): one statement computes every metric of a batch.
PER_RESPONSE_SQL = f"""
    SELECT l.user_input_id,
           avg(CASE WHEN q.crm_iso_metric = 'csat' THEN
                   CASE WHEN l.value_scale > q.scale_max - q.crm_iso_top_box
                        THEN 100.0 ELSE 0.0 END END) AS csat,
           avg(CASE WHEN q.crm_iso_metric = 'nps' THEN
                   CASE WHEN l.value_scale >= {NPS_PROMOTER_MIN} THEN 100.0
                        WHEN l.value_scale <= {NPS_DETRACTOR_MAX} THEN -100.0
                        ELSE 0.0 END END) AS nps,
           avg(CASE WHEN q.crm_iso_metric = 'ces'
                    THEN l.value_scale::float END) AS ces,
           sum(CASE WHEN q.crm_iso_metric = 'driver' THEN q.crm_iso_weight * 100.0
                   * (l.value_scale - q.scale_min) / (q.scale_max - q.scale_min)
                   END)
             / NULLIF(sum(CASE WHEN q.crm_iso_metric = 'driver'
                               THEN q.crm_iso_weight END), 0) AS satisfaction_index
      FROM survey_user_input_line l
      JOIN survey_question q ON q.id = l.question_id
     WHERE l.user_input_id IN %(ids)s
       AND l.answer_type = 'scale' AND NOT COALESCE(l.skipped, FALSE)
       AND q.crm_iso_metric IS NOT NULL
  GROUP BY l.user_input_id
"""
