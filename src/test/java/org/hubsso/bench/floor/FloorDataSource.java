package org.hubsso.bench.floor;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/** An embedded H2 file database in the node's working directory, as the hub's default. */
@DataSourceDefinition(name = "java:app/jdbc/floor", className = "org.h2.jdbcx.JdbcDataSource",
        url = "jdbc:h2:file:./floor-data/floor", user = "sa", password = "", minPoolSize = 2, maxPoolSize = 32)
@ApplicationScoped
public class FloorDataSource {
}
