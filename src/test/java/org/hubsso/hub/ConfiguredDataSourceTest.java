package org.hubsso.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The datasource the servers pool: connections with the configured credentials, whichever way the pool asks. */
class ConfiguredDataSourceTest {

    private static JdbcDataSource h2(String user) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID());
        h2.setUser(user);
        h2.setPassword("secret");
        return h2;
    }

    @Test
    void aPoolThatNamesNoUserGetsTheConfiguredOne() throws SQLException {
        ConfiguredDataSource ds = new ConfiguredDataSource(h2("hub"));
        try (Connection empty = ds.getConnection("", ""); Connection asked = ds.getConnection(null, null);
                Connection plain = ds.getConnection()) {
            assertEquals("HUB", empty.getMetaData().getUserName()); // as WildFly's pool asks
            assertEquals("HUB", asked.getMetaData().getUserName());
            assertEquals("HUB", plain.getMetaData().getUserName());
        }
    }

    @Test
    void aPoolThatNamesAUserGetsThatOne() throws SQLException {
        ConfiguredDataSource ds = new ConfiguredDataSource(h2("hub"));
        try (Connection admin = ds.getConnection()) { // keeps the in-memory database open
            admin.createStatement().execute("CREATE USER other PASSWORD 'pw'");
            try (Connection other = ds.getConnection("other", "pw")) {
                assertEquals("OTHER", other.getMetaData().getUserName());
            }
            assertThrows(SQLException.class, () -> ds.getConnection("other", "wrong").close());
        }
    }

    @Test
    void unwrapsToTheConfiguredDriversDataSource() throws SQLException {
        ConfiguredDataSource ds = new ConfiguredDataSource(h2("hub"));
        assertTrue(ds.isWrapperFor(JdbcDataSource.class));
        assertEquals("hub", ds.unwrap(JdbcDataSource.class).getUser());
        assertTrue(ds.isWrapperFor(ConfiguredDataSource.class));
    }
}
