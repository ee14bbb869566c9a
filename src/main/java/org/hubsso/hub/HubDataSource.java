package org.hubsso.hub;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The application's datasource, {@code java:app/jdbc/hub}, pooled by the server. Its URL, driver and credentials come
 * from MicroProfile Config ({@code hub.db.*}, or the environment variables {@code HUB_DB_*}), read by
 * {@link ConfiguredDataSource}; the default is an embedded H2 file database in {@code hub.data.dir}.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/hub",
        className = "org.hubsso.hub.ConfiguredDataSource",
        minPoolSize = 2,
        maxPoolSize = 32,
        properties = {
            // Read by ConfiguredDataSource: the MicroProfile Config keys hub.db.*.
            "configPrefix=" + ConfiguredDataSource.DEFAULT_PREFIX,
            // Payara's pool settings; WildFly ignores them (with a warning each: no such setter).
            "fish.payara.is-connection-validation-required=true",
            "fish.payara.connection-validation-method=auto-commit",
            // Each connection keeps its prepared statements: the same few dozen queries run on every request, and
            // without the cache each one was parsed and planned by the database again. A blank type is Payara's LRU
            // cache (a missing type is read as the class name "null", and an empty one is dropped: no cache then).
            "fish.payara.statement-cache-size=64",
            "fish.payara.statement-cache-type= "
        })
@ApplicationScoped
public class HubDataSource {
}
