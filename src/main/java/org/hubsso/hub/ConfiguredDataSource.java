package org.hubsso.hub;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The class {@link HubDataSource} names: the server pools, validates and enlists the connections, and this class
 * opens them with the database named by MicroProfile Config ({@code hub.db.datasource-class}, {@code hub.db.url},
 * {@code hub.db.user}, {@code hub.db.password}, or {@code HUB_DB_*} in the environment). It reads the configuration
 * itself because servers disagree on placeholders in a datasource definition: Payara replaces {@code ${MPCONFIG=...}},
 * WildFly replaces nothing in annotations and only system properties and {@code ${env.X}} in descriptors, and neither
 * would apply the defaults of {@code microprofile-config.properties} (such as the H2 URL under {@code hub.data.dir}).
 * The named JDBC class is loaded by the application's class loader and gets the URL and credentials by its setters,
 * as a server would set them. Each connection it gives is a {@link ReopeningConnection}, so a pool that does not
 * check its connections still recovers when the database comes back.
 */
public class ConfiguredDataSource implements DataSource {

    static final String DEFAULT_PREFIX = "hub.db";

    /** The keys read are this plus {@code .datasource-class}, {@code .url}, {@code .user}, {@code .password}. */
    private String configPrefix = DEFAULT_PREFIX;
    private volatile DataSource target;

    public ConfiguredDataSource() {
    }

    /** For tests: a datasource opened already. */
    ConfiguredDataSource(DataSource target) {
        this.target = target;
    }
    private PrintWriter logWriter;
    private int loginTimeout;

    /** The configured JDBC datasource, made at the first connection and kept: later threads may see no application. */
    DataSource target() throws SQLException {
        DataSource t = target;
        if (t == null) {
            synchronized (this) {
                t = target;
                if (t == null) {
                    t = open(ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader()), configPrefix);
                    // Opening a connection gives up after this long (the definition's loginTimeout), so a request
                    // while the database is away is answered 503 at once instead of holding its thread.
                    t.setLoginTimeout(loginTimeout > 0 ? loginTimeout : HubDataSource.LOGIN_TIMEOUT_SECONDS);
                    target = t;
                }
            }
        }
        return t;
    }

    /**
     * Set by the server from the datasource definition's property {@code configPrefix}. WildFly also needs the
     * definition to have at least one property its datasource class has a setter for (IJ031103 otherwise).
     */
    public void setConfigPrefix(String prefix) {
        configPrefix = prefix;
    }

    public String getConfigPrefix() {
        return configPrefix;
    }

    static DataSource open(Config config, String prefix) throws SQLException {
        String className = config.getValue(prefix + ".datasource-class", String.class).trim();
        try {
            Class<?> type = Class.forName(className, true, ConfiguredDataSource.class.getClassLoader());
            DataSource ds = (DataSource) type.getConstructor().newInstance();
            set(ds, config.getValue(prefix + ".url", String.class), "setUrl", "setURL");
            set(ds, config.getOptionalValue(prefix + ".user", String.class).orElse(null), "setUser");
            set(ds, config.getOptionalValue(prefix + ".password", String.class).orElse(null), "setPassword");
            return ds;
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new SQLException(prefix + ".datasource-class " + className + " is no usable javax.sql.DataSource", e);
        }
    }

    /** Calls the first of the String setters the class has; a value that is not set is left at the class's own. */
    private static void set(DataSource ds, String value, String... setters) throws ReflectiveOperationException {
        if (value == null) {
            return;
        }
        for (String name : setters) {
            Method setter;
            try {
                setter = ds.getClass().getMethod(name, String.class);
            } catch (NoSuchMethodException next) {
                continue;
            }
            try {
                setter.invoke(ds, value);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(ds.getClass().getName() + "." + name + " refused the value",
                        e.getCause());
            }
            return;
        }
        throw new NoSuchMethodException(ds.getClass().getName() + " has none of " + String.join(", ", setters));
    }

    @Override
    public Connection getConnection() throws SQLException {
        DataSource t = target();
        return ReopeningConnection.open(t::getConnection);
    }

    /**
     * Without a user name, the configured credentials: WildFly's pool asks with an empty user name (the definition's
     * default) when the definition names none, and the PostgreSQL driver then sends none (H2 opened its file as the
     * user "" instead of "hub").
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        boolean none = username == null || username.isEmpty();
        DataSource t = target();
        return ReopeningConnection.open(none ? t::getConnection : () -> t.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return target().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target().isWrapperFor(iface);
    }
}
