package org.hubsso.hub;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The application's datasource, {@code java:app/jdbc/hub}, pooled by the server. Its URL, driver and credentials come
 * from MicroProfile Config ({@code hub.db.*}, or the environment variables {@code HUB_DB_*}), read by
 * {@link ConfiguredDataSource}; the default is an embedded H2 file database in {@code hub.data.dir}. Opening a
 * connection and waiting for a pooled one are each bounded at about two seconds, so while the database is away
 * requests are answered 503 at once ({@link DatabaseUnavailable}) rather than holding their threads.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/hub",
        className = "org.hubsso.hub.ConfiguredDataSource",
        minPoolSize = 2,
        maxPoolSize = 32,
        loginTimeout = HubDataSource.LOGIN_TIMEOUT_SECONDS,
        properties = {
            // Read by ConfiguredDataSource: the MicroProfile Config keys hub.db.*.
            "configPrefix=" + ConfiguredDataSource.DEFAULT_PREFIX,
            // Payara's pool settings; WildFly ignores them (with a warning each: no such setter).
            "fish.payara.is-connection-validation-required=true",
            // Each borrowed connection is checked with JDBC's Connection.isValid (PostgreSQL answers a round trip).
            // The auto-commit method it replaces passed dead connections after the database went away: the query
            // then failed on the broken socket, and EclipseLink waited 5 s before each reconnect attempt, which held
            // requests 10 s (DatabaseOutageIT) instead of answering 503 at once.
            "fish.payara.connection-validation-method=custom-validation",
            "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
            // A request waits at most this long for a pooled connection (Payara's default is a minute).
            "fish.payara.max-wait-time-in-millis=" + HubDataSource.MAX_WAIT_MILLIS,
            // Each connection keeps its prepared statements: the same few dozen queries run on every request, and
            // without the cache each one was parsed and planned by the database again. A blank type is Payara's LRU
            // cache (a missing type is read as the class name "null", and an empty one is dropped: no cache then).
            "fish.payara.statement-cache-size=64",
            "fish.payara.statement-cache-type= "
        })
@ApplicationScoped
public class HubDataSource {

    /** Opening a database connection gives up after this long. */
    static final int LOGIN_TIMEOUT_SECONDS = 2;
    /** Borrowing a pooled connection gives up after this long (Payara; WildFly waits its own blocking timeout). */
    static final int MAX_WAIT_MILLIS = 2000;
}
