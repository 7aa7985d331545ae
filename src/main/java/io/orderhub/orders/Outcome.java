package io.orderhub.orders;

/** What applying an event did to the order (domain.md "Ingest, ordering and staleness"). */
public enum Outcome {
    APPLIED,
    UNCHANGED,
    SKIPPED_DUPLICATE,
    SKIPPED_STALE,
    REJECTED_CONFLICT,
    DEAD_LETTERED
}
