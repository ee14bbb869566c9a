package org.hubsso.hub;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The application's datasource, {@code java:app/jdbc/hub}. Its URL, driver and credentials come from
 * MicroProfile Config ({@code hub.db.*}, or the environment variables {@code HUB_DB_*}); the default is an
 * embedded H2 file database in {@code hub.data.dir}.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/hub",
        className = "${MPCONFIG=hub.db.datasource-class}",
        url = "${MPCONFIG=hub.db.url}",
        user = "${MPCONFIG=hub.db.user}",
        password = "${MPCONFIG=hub.db.password}",
        minPoolSize = 2,
        maxPoolSize = 32,
        properties = {
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
