package org.hubsso.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection the database closed is opened again before the next use, but never in the middle of a transaction
 * whose work would be lost: then the caller sees the failure, and the connection is reopened after the rollback.
 */
class ReopeningConnectionTest {

    private ConfiguredDataSource ds;
    private Connection keeper;

    @BeforeEach
    void database() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("hub");
        ds = new ConfiguredDataSource(h2);
        keeper = h2.getConnection();
        keeper.createStatement().execute("CREATE TABLE t (v INT)");
    }

    /** What the PostgreSQL driver does to its connection when the database goes away. */
    private static void killPhysical(Connection connection) throws SQLException {
        connection.unwrap(JdbcConnection.class).close();
    }

    private static int count(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aClosedConnectionIsOpenedAgainBeforeTheNextStatement() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            killPhysical(c);
            assertFalse(c.isValid(1), "the pool's own check still sees the dead connection");
            assertEquals(0, count(c));
            assertTrue(c.isValid(1));
            assertEquals(Connection.TRANSACTION_SERIALIZABLE, c.getTransactionIsolation(), "settings made again");
        }
    }

    @Test
    void neverReopensInTheMiddleOfATransaction() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (1)");
            }
            killPhysical(c);
            assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("INSERT INTO t VALUES (2)"));
            assertThrows(SQLException.class, c::commit);
            assertEquals(0, count(c), "after the failed transaction, a new connection; nothing half-committed");
            assertFalse(c.getAutoCommit(), "the pool's auto-commit setting is kept");
            c.createStatement().executeUpdate("INSERT INTO t VALUES (3)");
            c.commit();
        }
        assertEquals(1, count(keeper));
    }

    @Test
    void aNewTransactionOnADeadConnectionStartsOnANewOne() throws SQLException {
        try (Connection c = ds.getConnection()) {
            killPhysical(c);
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO t VALUES (1)");
            c.commit();
        }
        assertEquals(1, count(keeper));
    }
}
