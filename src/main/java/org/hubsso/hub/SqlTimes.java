package org.hubsso.hub;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants in native SQL: written as {@code TIMESTAMP WITH TIME ZONE} in UTC, read back whatever type the driver and
 * JPA provider hand out (H2 and PostgreSQL, EclipseLink and Hibernate differ).
 */
public final class SqlTimes {

    private SqlTimes() {
    }

    public static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** A column value as an instant; {@code null} stays. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        throw new IllegalStateException("not a time value: " + value.getClass().getName());
    }
}
