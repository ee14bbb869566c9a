package org.hubsso.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.hubsso.TestPostgres;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The Flyway migrations run unchanged on H2 (the embedded default) and on PostgreSQL (production). */
class MigrationsTest {

    static final Set<String> TABLES = Set.of("account", "account_email", "organization", "membership",
            "repository", "org_sso_settings", "org_sso_session", "sso_pending_request", "sso_replay",
            "sso_test_result", "sso_audit", "sso_role_mapping", "mail_queue", "flyway_schema_history");

    @Test
    void migratesAnEmptyH2DatabaseAndEnforcesTheSchema() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("hub");
        h2.setPassword("hub");
        checkMigrations(h2, "PUBLIC");
    }

    @Test
    void migratesPostgreSql() throws SQLException {
        PGSimpleDataSource pg = TestPostgres.required("the migrations test needs it");
        String schema = "hub_migrations_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            checkMigrations(pg, schema);
        } finally {
            try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /**
     * A database in use before SSO sessions were bound to sign-ins (version 7, with a member's SSO session and a
     * sign-in in flight) upgrades: those end (members pass the IdP once more), and from then on an SSO session
     * needs a sign-in that exists, one per sign-in and organization.
     */
    @Test
    void ssoSessionsOfAnOlderDatabaseEndAndNewOnesBelongToASignIn() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:upgrade-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("hub");
        h2.setPassword("hub");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").target("7").load().migrate();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO account (id, username, username_key, display_name, password_hash, site_admin,"
                    + " created_at, row_version) VALUES (1, 'ann', 'ann', 'Ann', 'x', FALSE, CURRENT_TIMESTAMP, 0)");
            s.execute("INSERT INTO organization (id, name, name_key, org_uid, display_name, default_role,"
                    + " created_at, row_version) VALUES (2, 'acme', 'acme', 'u1', 'Acme', 'READ', CURRENT_TIMESTAMP, 0)");
            s.execute("INSERT INTO org_sso_session (id, org_id, account_id, created_at, expires_at) VALUES (3, 2, 1,"
                    + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO sso_pending_request (request_id, org_id, account_id, session_binding, protocol,"
                    + " config_version, test_mode, return_to, created_at, expires_at) VALUES ('_r', 2, 1, 'b', 'SAML',"
                    + " 1, FALSE, '/', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM org_sso_session)"
                    + " + (SELECT COUNT(*) FROM sso_pending_request)")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "sessions and sign-ins in flight of before the upgrade ended");
            }
            assertThrows(SQLException.class, () -> s.execute("INSERT INTO org_sso_session (id, org_id, account_id,"
                    + " sign_in_id, created_at, expires_at) VALUES (4, 2, 1, 'no-such-sign-in', CURRENT_TIMESTAMP,"
                    + " CURRENT_TIMESTAMP)"), "an SSO session needs its sign-in");
            s.execute("INSERT INTO hub_sign_in (id, account_id, created_at) VALUES ('si', 1, CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO org_sso_session (id, org_id, account_id, sign_in_id, created_at, expires_at)"
                    + " VALUES (5, 2, 1, 'si', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            assertThrows(SQLException.class, () -> s.execute("INSERT INTO org_sso_session (id, org_id, account_id,"
                    + " sign_in_id, created_at, expires_at) VALUES (6, 2, 1, 'si', CURRENT_TIMESTAMP,"
                    + " CURRENT_TIMESTAMP)"), "one SSO session per sign-in and organization");
            s.execute("DELETE FROM hub_sign_in WHERE id = 'si'");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM org_sso_session")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "a purged sign-in takes its SSO sessions with it");
            }
        }
    }

    /** Several accounts may claim an address; one at most has it verified; an account claims an address once. */
    @Test
    void anAddressIsVerifiedByOneAccountAtMost() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:emails-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("hub");
        h2.setPassword("hub");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            for (int id = 1; id <= 2; id++) {
                s.execute("INSERT INTO account (id, username, username_key, display_name, password_hash, site_admin,"
                        + " created_at, row_version) VALUES (" + id + ", 'a" + id + "', 'a" + id + "', 'A', 'x', FALSE,"
                        + " CURRENT_TIMESTAMP, 0)");
            }
            String claim = "INSERT INTO account_email (id, account_id, address, address_key, verified, verified_key,"
                    + " primary_email, created_at) VALUES (%d, %d, 'Ann@x.test', 'ann@x.test', %s, %s, TRUE,"
                    + " CURRENT_TIMESTAMP)";
            s.execute(String.format(claim, 10, 1, "FALSE", "NULL"));
            s.execute(String.format(claim, 11, 2, "FALSE", "NULL")); // two unverified claims: fine
            assertThrows(SQLException.class, () -> s.execute(String.format(claim, 12, 1, "FALSE", "NULL")),
                    "an account claims an address once");
            s.execute("UPDATE account_email SET verified = TRUE, verified_key = address_key WHERE id = 10");
            assertThrows(SQLException.class, () -> s.execute("UPDATE account_email SET verified = TRUE,"
                    + " verified_key = address_key WHERE id = 11"), "one account at most verifies an address");
        }
    }

    private static void checkMigrations(DataSource ds, String schema) throws SQLException {
        Flyway flyway = Flyway.configure().dataSource(ds).schemas(schema).createSchemas(true)
                .locations("classpath:db/migration").load();
        MigrateResult first = flyway.migrate();
        assertTrue(first.migrationsExecuted >= 1, "the migrations ran");
        assertEquals(0, flyway.migrate().migrationsExecuted, "a second start applies nothing");
        flyway.validate();

        try (Connection c = ds.getConnection()) {
            c.setSchema(schema);
            Set<String> tables = new TreeSet<>();
            try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            assertTrue(tables.containsAll(TABLES), "tables: " + tables);

            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO organization (id, name, name_key, org_uid, display_name, default_role,"
                        + " created_at, row_version) VALUES (1, 'Acme', 'acme', 'u1', 'Acme', 'READ',"
                        + " CURRENT_TIMESTAMP, 0)");
                // Organization names are unique whatever their case.
                assertThrows(SQLException.class, () -> s.execute("INSERT INTO organization (id, name, name_key,"
                        + " org_uid, display_name, default_role, created_at, row_version) VALUES (2, 'ACME', 'acme',"
                        + " 'u2', 'x', 'READ', CURRENT_TIMESTAMP, 0)"));
                // Roles outside read/contributor/write/admin never reach the table.
                assertThrows(SQLException.class, () -> s.execute("INSERT INTO organization (id, name, name_key,"
                        + " org_uid, display_name, default_role, created_at, row_version) VALUES (3, 'b', 'b',"
                        + " 'u3', 'x', 'OWNER', CURRENT_TIMESTAMP, 0)"));
                // A repository name is unique within its organization.
                s.execute("INSERT INTO repository (id, org_id, kind, name, name_key, visibility, readme, created_at,"
                        + " row_version) VALUES (10, 1, 'MODEL', 'Bert', 'bert', 'PUBLIC', '', CURRENT_TIMESTAMP, 0)");
                assertThrows(SQLException.class, () -> s.execute("INSERT INTO repository (id, org_id, kind, name,"
                        + " name_key, visibility, readme, created_at, row_version) VALUES (11, 1, 'DATASET', 'bert',"
                        + " 'bert', 'PRIVATE', '', CURRENT_TIMESTAMP, 0)"));
                // Ids come from a sequence both databases understand.
                try (ResultSet rs = s.executeQuery(nextValue(c))) {
                    assertTrue(rs.next());
                    assertTrue(rs.getLong(1) >= 1000);
                }
                // Queued mail numbers itself (an identity column both databases understand) and knows only its
                // four states.
                String mail = "INSERT INTO mail_queue (recipient, subject, text_body, status, attempts, created_at,"
                        + " next_attempt_at) VALUES ('a@example.org', 'Hi', 'Body', '%s', 0, CURRENT_TIMESTAMP,"
                        + " CURRENT_TIMESTAMP)";
                s.execute(String.format(mail, "PENDING"));
                s.execute(String.format(mail, "FAILED"));
                try (ResultSet rs = s.executeQuery("SELECT MIN(id), MAX(id) FROM mail_queue")) {
                    assertTrue(rs.next());
                    assertTrue(rs.getLong(1) >= 1 && rs.getLong(2) > rs.getLong(1), "identity ids");
                }
                assertThrows(SQLException.class, () -> s.execute(String.format(mail, "LOST")));
            }
        }
    }

    private static String nextValue(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("postgres") ? "SELECT nextval('hub_seq')" : "SELECT NEXT VALUE FOR hub_seq";
    }

}
