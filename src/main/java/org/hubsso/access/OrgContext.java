package org.hubsso.access;

import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.Visibility;

/** Everything the policy needs about one viewer in one organization, loaded once per call. */
public record OrgContext(Organization org, Role memberRole, boolean ssoEnforced, SsoState ssoState) {

    /** The decision for content of this visibility (a recovery session does not count). */
    public Decision decide(Visibility visibility, Role needed) {
        return AccessPolicy.decide(visibility, memberRole, ssoEnforced, ssoState, needed);
    }

    /**
     * The decision for a guarded call of {@code scope}
     * ({@link AccessPolicy#decide(Scope, Visibility, Role, boolean, SsoState, Role)}).
     */
    public Decision decide(Scope scope, Visibility visibility, Role needed) {
        return AccessPolicy.decide(scope, visibility, memberRole, ssoEnforced, ssoState, needed);
    }

    /** The decision for the organization's settings: admins only (an admin's recovery session counts). */
    public Decision decideSettings() {
        return decide(Scope.MEMBERS, Visibility.PRIVATE, Role.ADMIN);
    }

    public boolean isMember() {
        return memberRole != null;
    }
}
