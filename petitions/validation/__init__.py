"""Validating petition lines against the active voter roll: claim, match, decide, count once.

Workers claim pending lines in batches (FOR UPDATE SKIP LOCKED, so any number of workers share the
work without overlap), find candidates for the whole batch set-based (voters.matching), decide
each line (matching.decide, read as a petition's decision by petitions.decisions) and write the
decisions in one transaction. One voter counts once per
petition: the partial unique index on counted lines guarantees it, and per-voter advisory locks
make concurrent batches that meet the same voter take turns instead of failing. Which of a voter's
lines counts depends on where the lines are on paper, never on which batch decided them first
(see recount), so the same lines get the same decisions whatever the order of the batches.

Modules: queue (sending workers), batch (deciding a batch), counting (one count per voter).
"""

from petitions.decisions import MANUAL
from petitions.validation.batch import (
    BATCH_SIZE,
    apply_registration_rule,
    lines_reset_for_revalidation,
    petition_validate_pending,
    write_decisions,
)
from petitions.validation.counting import (
    COUNTING_RULES,
    Counting,
    line_promote_replacement,
    line_withdraw,
    recount,
)
from petitions.validation.queue import (
    QUEUED_FOR,
    pending_lines_sweep,
    validation_enqueue,
    validation_queued_key,
    validation_request,
    validation_started,
)

__all__ = [
    "BATCH_SIZE",
    "COUNTING_RULES",
    "MANUAL",
    "QUEUED_FOR",
    "Counting",
    "apply_registration_rule",
    "line_promote_replacement",
    "line_withdraw",
    "lines_reset_for_revalidation",
    "pending_lines_sweep",
    "petition_validate_pending",
    "recount",
    "validation_enqueue",
    "validation_queued_key",
    "validation_request",
    "validation_started",
    "write_decisions",
]
