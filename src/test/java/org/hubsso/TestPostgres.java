package org.hubsso;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server the tests and benchmarks use: 127.0.0.1:5432, database {@code test}, user {@code postgres}
 * without a password, or what {@code -Dhub.test.pg.host/port/database/user} say.
 *
 * <pre>{@code
 * PGSimpleDataSource pg = TestPostgres.required("the cluster test needs it");   // skips, or fails on CI
 * PGSimpleDataSource other = TestPostgres.database(pg, "hub_bench_1234");      // another database on it
 * }</pre>
 */
public final class TestPostgres {

    private TestPostgres() {
    }

    /** The server's configured database, with a 3-second connect timeout; nothing is checked. */
    public static PGSimpleDataSource server() {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setServerNames(new String[] {System.getProperty("hub.test.pg.host", "127.0.0.1")});
        pg.setPortNumbers(new int[] {Integer.getInteger("hub.test.pg.port", 5432)});
        pg.setDatabaseName(System.getProperty("hub.test.pg.database", "test"));
        pg.setUser(System.getProperty("hub.test.pg.user", "postgres"));
        pg.setConnectTimeout(3);
        return pg;
    }

    /** {@link #server()}, required: a test without it skips with {@code why} (and fails when CI=true). */
    public static PGSimpleDataSource required(String why) {
        PGSimpleDataSource pg = server();
        RequiredParts.require(reachable(pg), "PostgreSQL on " + pg.getServerNames()[0] + ":" + pg.getPortNumbers()[0]
                + " (database " + pg.getDatabaseName() + ", user " + pg.getUser() + ")", why + "; start it, e.g."
                + " with 'pg_ctlcluster <version> main start', or set -Dhub.test.pg.host/port/user");
        return pg;
    }

    /** Another database on the same server, as the same user. */
    public static PGSimpleDataSource database(PGSimpleDataSource pg, String name) {
        PGSimpleDataSource other = new PGSimpleDataSource();
        other.setServerNames(pg.getServerNames());
        other.setPortNumbers(pg.getPortNumbers());
        other.setDatabaseName(name);
        other.setUser(pg.getUser());
        other.setConnectTimeout(3);
        return other;
    }

    public static boolean reachable(PGSimpleDataSource pg) {
        try (Connection c = pg.getConnection()) {
            return c.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }
}
