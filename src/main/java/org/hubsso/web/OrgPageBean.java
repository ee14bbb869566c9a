package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.hubsso.orgs.OrgPage;
import org.hubsso.orgs.OrganizationService;

/** {@code /{org}}: the organization and the repositories the viewer may see. */
@Named("orgPage")
@RequestScoped
public class OrgPageBean {

    @Inject
    OrganizationService orgs;

    private OrgPage page;

    public void load() {
        page = orgs.page(Pages.route().org());
    }

    public OrgPage getPage() {
        if (page == null) {
            load();
        }
        return page;
    }
}
