package org.hubsso.access;

import java.time.Instant;
import java.util.Optional;
import org.hubsso.hub.Organization;

/**
 * What the access policy needs to know of an organization's single sign-on, read through this interface so that
 * {@code access} does not depend on the {@code sso} package, which implements it (one CDI bean).
 */
public interface OrgSso {

    /** Whether the organization enforces SSO for its members. */
    boolean enforced(Organization org);

    /**
     * The state of the member's SSO session of the organization made in this hub sign-in: a session made in another
     * sign-in of the same account (another browser) does not count.
     *
     * @param signInId the viewer's hub sign-in, or {@code null}
     */
    SsoState session(Organization org, Long accountId, String signInId);

    /** Since when the operator suspended the organization's enforcement, if it did (shown on its pages). */
    Optional<Instant> suspendedSince(Organization org);

    /** Whether members' roles come from the IdP at each sign-in, so that admins do not set them by hand. */
    boolean rolesFromIdp(Organization org);
}
