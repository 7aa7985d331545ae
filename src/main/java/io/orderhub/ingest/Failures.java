package io.orderhub.ingest;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Classifies failures of applying an event: a database outage, transient (retry with backoff), or persistent. */
public final class Failures {

    /** Serialization failure, deadlock, lock not available, statement timeout. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57014");

    /** Admin or crash shutdown, cannot connect now. */
    private static final Set<String> OUTAGE_STATES = Set.of("57P01", "57P02", "57P03");

    private Failures() {}

    /** The kinds of failure. */
    public enum Kind {
        DATABASE_OUTAGE,
        TRANSIENT,
        PERSISTENT
    }

    public static Kind classify(Throwable failure) {
        // PostgreSQL's own SQLSTATE decides first: Spring maps whole classes (53, 54, 57, 58) to "resource failure",
        // but "index row size exceeds maximum" (54000) fails the same way forever and must be dead-lettered
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || OUTAGE_STATES.contains(state) || state.equals("53300")) {
                    return Kind.DATABASE_OUTAGE;
                }
                if (TRANSIENT_STATES.contains(state)) {
                    return Kind.TRANSIENT;
                }
                return Kind.PERSISTENT;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException
                    || t instanceof CannotCreateTransactionException
                    // a commit or rollback that failed: the connection is gone
                    || t instanceof org.springframework.transaction.TransactionSystemException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof ConnectException) {
                return Kind.DATABASE_OUTAGE;
            }
            if (t instanceof TransientDataAccessException) {
                return Kind.TRANSIENT;
            }
        }
        return Kind.PERSISTENT;
    }

    /** A one-line description of a failure for dead letters and alerts: the message, never a stack trace. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message =
                root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        if (root instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null) {
            // the primary message only: PostgreSQL's detail ("Failing row contains ...") may hold customer data
            message = psql.getServerErrorMessage().getMessage() + " (SQLSTATE " + psql.getSQLState() + ")";
        }
        return message.length() > 2000 ? message.substring(0, 2000) : message;
    }
}
