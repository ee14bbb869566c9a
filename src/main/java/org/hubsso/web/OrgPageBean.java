package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.hubsso.orgs.OrgPage;
import org.hubsso.orgs.OrganizationService;

/**
 * {@code /{org}}: the organization and one page of the repositories the viewer may see, searchable by name
 * ({@code ?q=}, {@code ?after=}, {@code ?before=}).
 */
@Named("orgPage")
@RequestScoped
public class OrgPageBean {

    @Inject
    OrganizationService orgs;

    private OrgPage page;
    private PageLinks links;

    public void load() {
        links = PageLinks.of("");
        page = orgs.page(Pages.route().org(), links.request());
    }

    public OrgPage getPage() {
        if (page == null) {
            load();
        }
        return page;
    }

    public String getSearch() {
        getPage();
        return links.search();
    }

    public String getPreviousLink() {
        return links.previous(getPage().getRepoPage());
    }

    public String getNextLink() {
        return links.next(getPage().getRepoPage());
    }
}
