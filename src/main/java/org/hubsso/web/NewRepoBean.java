package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.hubsso.hub.Membership;
import org.hubsso.orgs.OrganizationService;
import org.hubsso.hub.Repo;
import org.hubsso.hub.RepoKind;
import org.hubsso.orgs.RepoService;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;
import org.hubsso.hub.Visibility;

/** {@code /new?org=...}: create a repository in an organization where the viewer has write access. */
@Named("newRepo")
@RequestScoped
public class NewRepoBean {

    @Inject
    RepoService repos;

    @Inject
    OrganizationService orgs;

    private String org;
    private String kind = "model";
    private String name;
    private String visibility = "public";
    private String readme;
    private List<String> owners;

    public void init() {
        if (org == null) {
            org = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("org");
        }
        if (org == null && !getOwners().isEmpty()) {
            org = getOwners().get(0);
        }
    }

    public void create() {
        try {
            Repo repo = repos.create(org, kindOf(kind), name, visibilityOf(visibility), readme);
            Pages.notice("Repository " + repo.getPath() + " created.");
            Pages.redirect("/" + repo.getPath());
        } catch (ValidationException e) {
            Pages.fieldError("repo", e);
        }
    }

    /** The most organizations the owner choice lists, by name: a page stays small however many there are. */
    static final int MAX_OWNERS = 500;

    /** Organizations where the viewer may create repositories. */
    public List<String> getOwners() {
        if (owners == null) {
            owners = orgs.mine(MAX_OWNERS).stream().filter(m -> m.getRole().atLeast(Role.WRITE))
                    .map(Membership::getOrganization).map(o -> o.getName()).toList();
        }
        return owners;
    }

    private static RepoKind kindOf(String value) {
        for (RepoKind k : RepoKind.values()) {
            if (k.label().equals(value)) {
                return k;
            }
        }
        return null;
    }

    private static Visibility visibilityOf(String value) {
        return "public".equals(value) ? Visibility.PUBLIC : "private".equals(value) ? Visibility.PRIVATE : null;
    }

    public String getOrg() {
        return org;
    }

    public void setOrg(String org) {
        this.org = org;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getVisibility() {
        return visibility;
    }

    public void setVisibility(String visibility) {
        this.visibility = visibility;
    }

    public String getReadme() {
        return readme;
    }

    public void setReadme(String readme) {
        this.readme = readme;
    }
}
