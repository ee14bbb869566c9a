package org.hubsso.access;

import org.hubsso.hub.Role;
import org.hubsso.hub.Visibility;

/**
 * The one access policy of the organization namespace. A pure function: every guarded service method and
 * every listing filter asks it, nothing else decides. Site administrators get no bypass.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    /**
     * @param visibility visibility of what is accessed ({@code PRIVATE} for members-only parts)
     * @param memberRole the viewer's role in the organization, or {@code null} for a non-member or anonymous viewer
     * @param ssoEnforced whether the organization has SSO enabled
     * @param sso the viewer's organization SSO session state (only consulted for members)
     * @param needed the least role the action needs ({@code READ} to view)
     */
    public static Decision decide(Visibility visibility, Role memberRole, boolean ssoEnforced, SsoState sso,
            Role needed) {
        if (visibility == null || needed == null) {
            throw new IllegalArgumentException("visibility and needed role are required");
        }
        if (memberRole == null) {
            if (visibility == Visibility.PRIVATE) {
                return Decision.NOT_FOUND;
            }
            return needed == Role.READ ? Decision.ALLOW : Decision.FORBIDDEN;
        }
        if (ssoEnforced && sso != SsoState.VALID) {
            return Decision.SSO_REQUIRED;
        }
        return memberRole.atLeast(needed) ? Decision.ALLOW : Decision.FORBIDDEN;
    }

    /**
     * The decision for a guarded call of {@code scope}: as {@link #decide(Visibility, Role, boolean, SsoState, Role)},
     * except that an admin's recovery session counts as an SSO session for the settings (members-only parts that need
     * admin), and for nothing else.
     */
    public static Decision decide(Scope scope, Visibility visibility, Role memberRole, boolean ssoEnforced,
            SsoState sso, Role needed) {
        boolean settings = scope == Scope.MEMBERS && needed == Role.ADMIN;
        SsoState counted = sso == SsoState.RECOVERY && settings ? SsoState.VALID : sso;
        return decide(visibility, memberRole, ssoEnforced, counted, needed);
    }

    /** Visibility of a scope: members-only parts count as private, the organization itself as public. */
    public static Visibility visibilityOf(Scope scope, Visibility repoVisibility) {
        return switch (scope) {
            case ORG -> Visibility.PUBLIC;
            case MEMBERS -> Visibility.PRIVATE;
            case REPO -> repoVisibility;
        };
    }
}
