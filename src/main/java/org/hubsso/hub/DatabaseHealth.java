package org.hubsso.hub;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: this node can take requests when the hub's database answers a trivial query within two
 * seconds (a load balancer stops sending traffic to a node whose database is gone). Reports no server details.
 * <p>
 * The bean is made at deployment ({@link #ready}), where {@code java:app} names resolve: WildFly runs health checks on
 * a management thread, which has no application naming context, so a bean first made there could not look up the
 * datasource and readiness stayed DOWN. The datasource object itself works on any thread.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {

    static final String NAME = "hub-database";

    @Resource(lookup = "java:app/jdbc/hub")
    DataSource dataSource;

    /** Makes the bean (and looks the datasource up) while the application starts. */
    void ready(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // nothing else to do: being called made the instance
    }

    @Override
    public HealthCheckResponse call() {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                boolean up = rs.next() && rs.getInt(1) == 1;
                return HealthCheckResponse.named(NAME).status(up)
                        .withData("millis", (System.nanoTime() - started) / 1_000_000).build();
            }
        } catch (SQLException e) {
            return HealthCheckResponse.named(NAME).down().withData("sqlState", String.valueOf(e.getSQLState()))
                    .build();
        }
    }
}
