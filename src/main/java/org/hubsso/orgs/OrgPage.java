package org.hubsso.orgs;

import java.time.Instant;
import java.util.List;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Repo;
import org.hubsso.hub.Role;

/** What the viewer may see of an organization page. */
public final class OrgPage {

    private final Organization org;
    private final Role viewerRole;
    private final List<Repo> repos;
    private final boolean ssoEnforced;
    private final Instant ssoSuspendedSince;

    public OrgPage(Organization org, Role viewerRole, List<Repo> repos, boolean ssoEnforced,
            Instant ssoSuspendedSince) {
        this.org = org;
        this.viewerRole = viewerRole;
        this.repos = List.copyOf(repos);
        this.ssoEnforced = ssoEnforced;
        this.ssoSuspendedSince = ssoSuspendedSince;
    }

    /** Since when the hub's operator suspended the organization's SSO enforcement, or {@code null}. */
    public Instant getSsoSuspendedSince() {
        return ssoSuspendedSince;
    }

    /**
     * Whether the page offers a non-member to join through the organization's SSO (it enforces SSO; the IdP's email
     * must be a verified email of the viewer's account).
     */
    public boolean isSsoJoin() {
        return ssoEnforced && viewerRole == null;
    }

    public Organization getOrg() {
        return org;
    }

    /** The viewer's role, or {@code null} for a non-member. */
    public Role getViewerRole() {
        return viewerRole;
    }

    public List<Repo> getRepos() {
        return repos;
    }

    public boolean isMember() {
        return viewerRole != null;
    }

    public boolean isAdmin() {
        return viewerRole == Role.ADMIN;
    }

    public boolean isCanCreateRepos() {
        return viewerRole != null && viewerRole.atLeast(Role.WRITE);
    }
}
