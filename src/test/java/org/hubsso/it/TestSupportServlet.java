package org.hubsso.it;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEntry;
import org.hubsso.audit.AuditEvent;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountEmail;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Organizations;
import org.hubsso.sso.CertificateWatch;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.OrgSsoSettings;
import org.hubsso.sso.SsoConfigs;

/**
 * Test-only: added to the test deployments, never to the product WAR. Marks an account's emails verified, the
 * way a completed verification mail would, so SSO tests can use fresh accounts; and lists an organization's SSO
 * audit trail (one line per record: {@code event outcome reason actor}), so hostile-input tests can check that
 * a failure was recorded and no success was; and lists the caller's HTTP session attributes with their size in
 * Java serialization (one line per attribute: {@code name bytes}, or {@code name not-serializable class}), so the
 * cluster test can check that what a node replicates is serializable and small; and lists what the server logged
 * with a stack trace or at SEVERE since it started (one line per record: {@code level logger exception-class}), so
 * tests can check that hostile input leaves no stack trace in the log. For the certificate expiry tests it makes
 * an organization's live SAML configuration trust the given certificates as they are (expired ones too, which no
 * admin can paste), and runs the expiry check of one organization now instead of at the next full hour. On Payara it
 * shuts the node's Hazelcast instance down, as when a node drops out of its grid, for the readiness test. It records
 * many audit records at once, for the export test.
 */
@WebServlet(urlPatterns = {"/it-support/verify-emails", "/it-support/audit", "/it-support/session",
    "/it-support/log", "/it-support/trust", "/it-support/certificate-watch", "/it-support/grid-shutdown", "/it-support/audit-seed"}, loadOnStartup = 1)
public class TestSupportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** What the server logged with a throwable or at SEVERE, newest last (bounded). */
    static final java.util.Deque<String> LOGGED = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private static final java.util.logging.Handler CAPTURE = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord r) {
            if (r.getThrown() != null || r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                LOGGED.addLast(r.getLevel() + " " + r.getLoggerName() + " "
                        + (r.getThrown() == null ? "-" : r.getThrown().getClass().getName()));
                while (LOGGED.size() > 1000) {
                    LOGGED.pollFirst();
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void init() {
        java.util.logging.Logger.getLogger("").addHandler(CAPTURE);
    }

    @Override
    public void destroy() {
        java.util.logging.Logger.getLogger("").removeHandler(CAPTURE);
    }

    @Inject
    AccountService accounts;

    @Inject
    Organizations orgs;

    @Inject
    Audit audit;

    @Inject
    SsoConfigs configs;

    @Inject
    CertificateWatch certificates;

    @Inject
    jakarta.transaction.UserTransaction tx;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (req.getServletPath().endsWith("/grid-shutdown")) {
            try {
                if (System.getProperty("jboss.home.dir") != null) {
                    // WildFly: the session container of the web subsystem stops, as when its node fails.
                    // The container bound in JNDI is the server's wrapper, whose stop() does nothing: the cache
                    // manager it wraps is stopped.
                    Object container = new javax.naming.InitialContext().lookup(
                            "java:jboss/infinispan/container/web");
                    ClassLoader loader = container.getClass().getClassLoader();
                    Class<?> manager = Class.forName("org.infinispan.manager.EmbeddedCacheManager", false, loader);
                    Class<?> lifecycle = Class.forName("org.infinispan.commons.api.Lifecycle", false, loader);
                    StringBuilder seen = new StringBuilder(container.getClass().getName());
                    for (Class<?> c = container.getClass(); c != null; c = c.getSuperclass()) {
                        for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                            seen.append(' ').append(c.getSimpleName()).append('.').append(f.getName()).append(':')
                                    .append(f.getType().getSimpleName());
                            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())
                                    && manager.isAssignableFrom(f.getType())) {
                                f.setAccessible(true);
                                Object wrapped = f.get(container);
                                if (wrapped != null) {
                                    lifecycle.getMethod("stop").invoke(wrapped);
                                    res.setStatus(204);
                                    return;
                                }
                            }
                        }
                    }
                    res.sendError(500, "no cache manager inside " + seen);
                    return;
                }
                Object hazelcast = new javax.naming.InitialContext().lookup("payara/Hazelcast");
                Object lifecycle = Class.forName("com.hazelcast.core.HazelcastInstance", false,
                        hazelcast.getClass().getClassLoader()).getMethod("getLifecycleService").invoke(hazelcast);
                Class.forName("com.hazelcast.core.LifecycleService", false, hazelcast.getClass().getClassLoader())
                        .getMethod("shutdown").invoke(lifecycle);
                res.setStatus(204);
            } catch (javax.naming.NamingException | ReflectiveOperationException e) {
                res.sendError(404, e.toString());
            }
            return;
        }
        if (req.getServletPath().endsWith("/audit-seed")) {
            Organization org = orgs.byName(req.getParameter("org")).orElse(null);
            if (org == null) {
                res.sendError(404);
                return;
            }
            Long accountId = req.getParameter("account") == null ? null
                    : accounts.findByUsername(req.getParameter("account")).orElseThrow().getId();
            seedAudit(org, Integer.parseInt(req.getParameter("count")), accountId);
            res.setStatus(204);
            return;
        }
        if (req.getServletPath().endsWith("/trust") || req.getServletPath().endsWith("/certificate-watch")) {
            Organization org = orgs.byName(req.getParameter("org")).orElse(null);
            if (org == null) {
                res.sendError(404);
                return;
            }
            if (req.getServletPath().endsWith("/trust")) {
                trust(org, req.getParameter("pems"));
                res.setStatus(204);
            } else {
                res.setContentType("text/plain");
                res.getWriter().write(String.valueOf(certificates.check(org)));
            }
            return;
        }
        Account account = accounts.findByUsername(req.getParameter("username")).orElse(null);
        if (account == null) {
            res.sendError(404);
            return;
        }
        for (AccountEmail email : accounts.emails(account.getId())) {
            accounts.markVerified(account.getId(), email.getId());
        }
        res.setStatus(204);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (req.getServletPath().endsWith("/session")) {
            session(req, res);
            return;
        }
        if (req.getServletPath().endsWith("/log")) {
            res.setContentType("text/plain");
            res.setCharacterEncoding(StandardCharsets.UTF_8.name());
            res.getWriter().write(String.join("\n", LOGGED) + (LOGGED.isEmpty() ? "" : "\n"));
            return;
        }
        if (!req.getServletPath().endsWith("/audit")) {
            res.sendError(405);
            return;
        }
        Organization org = orgs.byName(req.getParameter("org")).orElse(null);
        if (org == null) {
            res.sendError(404);
            return;
        }
        StringBuilder out = new StringBuilder();
        for (AuditEntry e : audit.recent(org.getId(), 10_000)) {
            out.append(e.getEvent()).append(' ').append(e.getOutcome()).append(' ').append(e.getReason())
                    .append(' ').append(e.getActorId()).append('\n');
        }
        res.setContentType("text/plain");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        res.getWriter().write(out.toString());
    }

    /**
     * Records {@code count} settings changes of the organization, in transactions of a thousand; with an account,
     * record i has it as its actor when i % 3 == 0 and as its member when i % 2 == 0.
     */
    private void seedAudit(Organization org, int count, Long accountId) throws IOException {
        try {
            for (int done = 0; done < count; ) {
                tx.begin();
                for (int i = 0; i < 1000 && done < count; i++, done++) {
                    Long actor = done % 3 == 0 ? accountId : null;
                    Long member = done % 2 == 0 ? accountId : null;
                    audit.record(org.getId(), actor, member, AuditEvent.ORG_SETTINGS,
                            AuditEvent.Outcome.SUCCESS, null, java.util.Map.of("seed", done));
                }
                tx.commit();
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void trust(Organization org, String pems) throws IOException {
        try {
            tx.begin();
            OrgSsoSettings settings = configs.settingsOf(org);
            IdpConfig live = settings.config();
            settings.apply(live.withSaml(live.saml().with(live.saml().getSignOnUrl(), IdpCertificate.stored(pems)),
                    live.clockSkew()), settings.nextVersion(), java.time.Instant.now());
            tx.commit();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static void session(HttpServletRequest req, HttpServletResponse res) throws IOException {
        HttpSession session = req.getSession(false);
        StringBuilder out = new StringBuilder();
        if (session != null) {
            for (String name : Collections.list(session.getAttributeNames())) {
                Object value = session.getAttribute(name);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
                    oos.writeObject(value);
                    oos.flush();
                    out.append(name).append(' ').append(bytes.size()).append('\n');
                } catch (NotSerializableException e) {
                    out.append(name).append(" not-serializable ").append(e.getMessage()).append('\n');
                }
            }
        }
        res.setContentType("text/plain");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        res.getWriter().write(out.toString());
    }
}
