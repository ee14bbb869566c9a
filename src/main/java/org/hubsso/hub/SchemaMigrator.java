package org.hubsso.hub;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Creates and evolves the schema with Flyway before anything else touches the database. */
@ApplicationScoped
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());
    static final String HISTORY_TABLE = "flyway_schema_history";

    @Resource(lookup = "java:app/jdbc/hub")
    DataSource dataSource;

    /** Whether Flyway has ever migrated this database (its history table exists). */
    public boolean hasSchema() {
        try (Connection c = dataSource.getConnection();
                ResultSet tables = c.getMetaData().getTables(c.getCatalog(), null, null, new String[] {"TABLE"})) {
            while (tables.next()) {
                if (HISTORY_TABLE.equalsIgnoreCase(tables.getString("TABLE_NAME"))) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database's tables", e);
        }
    }

    public MigrateResult migrate() {
        MigrateResult result = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .table(HISTORY_TABLE)
                .load()
                .migrate();
        LOG.info(() -> "Database schema at version " + result.targetSchemaVersion + " ("
                + result.migrationsExecuted + " migrations applied now, " + result.database + ")");
        return result;
    }
}
