package org.hubsso.hub;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Whether an exception means the database could not be reached (no connection could be opened or borrowed, or the
 * connection broke), as opposed to a statement that failed: the request is then answered 503 with
 * {@code Retry-After}, and recovery is automatic once the database answers again. The JDBC and connector standards
 * say it the same way on every server: SQLState class {@code 08} (connection exception), the JDBC connection
 * exception types, or the pool's {@code jakarta.resource.ResourceException} (Payara and WildFly alike, when no
 * connection can be had within the pool's wait).
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean in(Throwable error) {
        for (Throwable t : Causes.chain(error)) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof jakarta.resource.ResourceException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
