package org.hubsso.hub;

import java.util.List;

/** What the viewer may see of an organization page. */
public final class OrgPage {

    private final Organization org;
    private final Role viewerRole;
    private final List<Repo> repos;

    public OrgPage(Organization org, Role viewerRole, List<Repo> repos) {
        this.org = org;
        this.viewerRole = viewerRole;
        this.repos = List.copyOf(repos);
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
