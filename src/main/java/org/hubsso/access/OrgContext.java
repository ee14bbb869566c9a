package org.hubsso.access;

import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.Visibility;

/** Everything the policy needs about one viewer in one organization, loaded once per call. */
public record OrgContext(Organization org, Role memberRole, boolean ssoEnforced, SsoState ssoState) {

    public Decision decide(Visibility visibility, Role needed) {
        return AccessPolicy.decide(visibility, memberRole, ssoEnforced, ssoState, needed);
    }

    public boolean isMember() {
        return memberRole != null;
    }
}
