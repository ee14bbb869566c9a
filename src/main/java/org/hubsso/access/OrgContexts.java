package org.hubsso.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import org.hubsso.hub.Memberships;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;

/**
 * Loads the {@link OrgContext} of a viewer: organization, membership, SSO enforcement and SSO session state (the
 * last two from {@link OrgSso}).
 *
 * <p>{@link #guarded(String)} hands a method guarded by {@link OrgAccess} the context its interceptor has just
 * decided on, so that the organization is read once per call. It is kept in a {@code ThreadLocal} for exactly the
 * duration of the guarded call ({@link #within}), restored in a {@code finally} (nested guarded calls see their
 * own), and never outlives it: a request thread returned to the pool holds nothing. A method that is not guarded
 * gets an {@code IllegalStateException} instead of somebody else's context.
 */
@ApplicationScoped
public class OrgContexts {

    private static final ThreadLocal<OrgContext> GUARDED = new ThreadLocal<>();

    @Inject
    Memberships memberships;

    @Inject
    OrgSso sso;

    /**
     * @param accountId the viewer's account, or {@code null}
     * @param signInId the viewer's hub sign-in: only an SSO session made in this sign-in counts
     */
    public OrgContext of(Organization org, Long accountId, String signInId) {
        Role role = memberships.roleOf(org, accountId).orElse(null);
        boolean enforced = sso.enforced(org);
        SsoState state = role != null && enforced ? sso.session(org, accountId, signInId) : SsoState.ABSENT;
        return new OrgContext(org, role, enforced, state);
    }

    /**
     * The context {@link OrgAccessInterceptor} loaded and decided on for the {@code @OrgAccess} call in progress on
     * this thread.
     *
     * @throws IllegalStateException outside a guarded call for this organization
     */
    public OrgContext guarded(String orgName) {
        OrgContext ctx = GUARDED.get();
        if (ctx == null || orgName == null || !ctx.org().getName().equalsIgnoreCase(orgName)) {
            throw new IllegalStateException("not inside an @OrgAccess call for organization " + orgName);
        }
        return ctx;
    }

    /** Runs a guarded call with its context available through {@link #guarded(String)}. */
    Object within(OrgContext ctx, Callable<Object> call) throws Exception {
        OrgContext outer = GUARDED.get();
        GUARDED.set(ctx);
        try {
            return call.call();
        } finally {
            if (outer == null) {
                GUARDED.remove();
            } else {
                GUARDED.set(outer);
            }
        }
    }
}
