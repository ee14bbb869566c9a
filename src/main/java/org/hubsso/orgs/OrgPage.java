package org.hubsso.orgs;

import java.time.Instant;
import java.util.List;
import org.hubsso.hub.Keyset;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Repo;
import org.hubsso.hub.Role;

/** What the viewer may see of an organization page: one page of its repositories. */
public final class OrgPage {

    private final Organization org;
    private final Role viewerRole;
    private final Keyset.Slice<Repo> repos;
    private final long repoCount;
    private final boolean ssoEnforced;
    private final Instant ssoSuspendedSince;

    public OrgPage(Organization org, Role viewerRole, Keyset.Slice<Repo> repos, long repoCount, boolean ssoEnforced,
            Instant ssoSuspendedSince) {
        this.org = org;
        this.viewerRole = viewerRole;
        this.repos = repos;
        this.repoCount = repoCount;
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

    /** The repositories of this page. */
    public List<Repo> getRepos() {
        return repos.rows();
    }

    /** This page and the cursors of its neighbours. */
    public Keyset.Slice<Repo> getRepoPage() {
        return repos;
    }

    /** How many repositories the viewer may see in all. */
    public long getRepoCount() {
        return repoCount;
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
