package io.orderhub.storage;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the hub reads times from PostgreSQL and writes them in answers: UTC, and RFC 3339 with seconds. */
public final class Timestamps {

    private Timestamps() {}

    /** A stored time in UTC; null stays null. */
    public static OffsetDateTime utc(Timestamp ts) {
        return ts == null ? null : ts.toInstant().atOffset(ZoneOffset.UTC);
    }

    /**
     * A stored time as RFC 3339 in UTC. ISO_INSTANT always writes the seconds; OffsetDateTime.toString would drop
     * ":00" seconds, which RFC 3339 does not allow.
     */
    public static String rfc3339(Timestamp ts) {
        return ts == null ? null : DateTimeFormatter.ISO_INSTANT.format(ts.toInstant());
    }
}
