package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.hubsso.hub.Organization;
import org.hubsso.orgs.OrganizationService;
import org.hubsso.hub.ValidationException;

/** {@code /organizations/new}. */
@Named("newOrg")
@RequestScoped
public class NewOrgBean {

    @Inject
    OrganizationService orgs;

    private String name;
    private String displayName;

    public void create() {
        try {
            Organization org = orgs.create(name, displayName);
            Pages.notice("Organization " + org.getName() + " created. You are its admin.");
            Pages.redirect("/" + org.getName());
        } catch (ValidationException e) {
            Pages.fieldError("org", e);
        }
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }
}
