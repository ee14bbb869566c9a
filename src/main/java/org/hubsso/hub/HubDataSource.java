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
            "fish.payara.connection-validation-method=auto-commit"
        })
@ApplicationScoped
public class HubDataSource {
}
