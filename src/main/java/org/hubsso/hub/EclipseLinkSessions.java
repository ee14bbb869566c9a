package org.hubsso.hub;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * EclipseLink (Payara's JPA provider) without its reconnect pause: after a query meets a broken connection,
 * EclipseLink retries it up to 3 times, sleeping 5 s before each, which held every request about 10 s while the
 * database was away (DatabaseOutageIT). Here a query is retried once, at once, on a fresh connection: enough for a
 * connection that broke while pooled, and a request fails fast (503) when the database is really gone. Named in
 * persistence.xml ({@code eclipselink.session.customizer}); WildFly's Hibernate never loads it.
 */
public class EclipseLinkSessions implements SessionCustomizer {

    static final int QUERY_RETRIES = 1;

    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
            login.setQueryRetryAttemptCount(QUERY_RETRIES);
            login.setDelayBetweenConnectionAttempts(0);
        }
    }
}
