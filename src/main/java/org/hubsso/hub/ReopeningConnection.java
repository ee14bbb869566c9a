package org.hubsso.hub;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * A physical database connection that is opened again when the database closed it and no work of a transaction would
 * be lost by that. The server's pool keeps physical connections for the life of the application; after the database
 * went away and came back, the PostgreSQL driver has marked each of them closed. Payara checks a connection before
 * lending it ({@code Connection.isValid}) and drops dead ones, but the pool of a datasource defined by annotation on
 * WildFly checks nothing and lent the same dead connections forever ("This connection has been closed"), so the node
 * never recovered. This handler leaves {@code isValid}, {@code isClosed} and the ends of a transaction to the
 * physical connection, and before any other call opens a new one when the old is closed and nothing uncommitted was
 * done on it (auto-commit on, or no statement since the last commit or rollback); the settings the pool made
 * (auto-commit, isolation, read-only) are made again on the new connection. When the database is still away, opening
 * fails within the login timeout with the driver's own exception, which the hub answers with 503.
 *
 * <p>Package-private: made only by {@link ConfiguredDataSource}.
 */
final class ReopeningConnection implements InvocationHandler {

    /** Calls that never open a new connection: checks by the pool, and the ends of a connection or transaction. */
    private static final Set<String> AS_IS = Set.of("isValid", "isClosed", "close", "abort", "commit", "rollback",
            "unwrap", "isWrapperFor", "getWarnings", "clearWarnings", "hashCode", "equals", "toString");
    private static final Set<String> STATEMENTS = Set.of("createStatement", "prepareStatement", "prepareCall");

    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private Connection physical;
    private boolean autoCommit = true;
    private Integer isolation;
    private Boolean readOnly;
    /** A statement was made since the last commit or rollback while auto-commit was off: work that must not vanish. */
    private boolean uncommittedWork;

    private ReopeningConnection(Opener opener, Connection first) throws SQLException {
        this.opener = opener;
        this.physical = first;
        this.autoCommit = first.getAutoCommit();
    }

    static Connection open(Opener opener) throws SQLException {
        ReopeningConnection handler = new ReopeningConnection(opener, opener.open());
        return (Connection) Proxy.newProxyInstance(ReopeningConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("equals")) {
            return proxy == args[0];
        }
        if (name.equals("hashCode")) {
            return System.identityHashCode(proxy);
        }
        if (!AS_IS.contains(name) && !uncommittedWork && physical.isClosed()) {
            reopen();
        }
        Object result;
        try {
            result = method.invoke(physical, args);
        } catch (InvocationTargetException e) {
            if (name.equals("commit") || name.equals("rollback") || name.equals("setAutoCommit")) {
                // The transaction ended, failed: whatever it did is the caller's error already, not lost silently.
                uncommittedWork = false;
            }
            throw e.getCause();
        }
        switch (name) {
            case "setAutoCommit" -> {
                autoCommit = (Boolean) args[0];
                uncommittedWork = false;
            }
            case "setTransactionIsolation" -> isolation = (Integer) args[0];
            case "setReadOnly" -> readOnly = (Boolean) args[0];
            case "commit", "rollback" -> uncommittedWork = false;
            default -> {
                if (!autoCommit && STATEMENTS.contains(name)) {
                    uncommittedWork = true;
                }
            }
        }
        return result;
    }

    private void reopen() throws SQLException {
        Connection fresh = opener.open();
        try {
            fresh.setAutoCommit(autoCommit);
            if (isolation != null) {
                fresh.setTransactionIsolation(isolation);
            }
            if (readOnly != null) {
                fresh.setReadOnly(readOnly);
            }
        } catch (SQLException e) {
            fresh.close();
            throw e;
        }
        Connection dead = physical;
        physical = fresh;
        try {
            dead.close();
        } catch (SQLException ignored) {
            // It was closed already; closing again only releases what the driver still holds.
        }
    }
}
