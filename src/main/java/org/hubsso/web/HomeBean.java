package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.hubsso.hub.Keyset;
import org.hubsso.hub.Membership;
import org.hubsso.hub.Organization;
import org.hubsso.orgs.OrganizationService;

/**
 * {@code /}: a page of the viewer's organizations ({@code ?mine-q=}, {@code ?mine-after=}, {@code ?mine-before=})
 * and a page of all organizations ({@code ?q=}, {@code ?after=}, {@code ?before=}), each by name and searchable.
 */
@Named("home")
@RequestScoped
public class HomeBean {

    static final String MINE = "mine-";

    @Inject
    OrganizationService orgs;

    private PageLinks mineLinks;
    private PageLinks allLinks;
    private Keyset.Slice<Membership> mine;
    private Keyset.Slice<Organization> all;

    public Keyset.Slice<Membership> getMine() {
        if (mine == null) {
            mineLinks = PageLinks.of(MINE);
            mine = orgs.mine(mineLinks.request());
        }
        return mine;
    }

    public Keyset.Slice<Organization> getAll() {
        if (all == null) {
            allLinks = PageLinks.of("");
            all = orgs.all(allLinks.request());
        }
        return all;
    }

    public String getMineSearch() {
        getMine();
        return mineLinks.search();
    }

    public String getMinePrevious() {
        return mineLinks.previous(getMine());
    }

    public String getMineNext() {
        return mineLinks.next(getMine());
    }

    public String getSearch() {
        getAll();
        return allLinks.search();
    }

    public String getPrevious() {
        return allLinks.previous(getAll());
    }

    public String getNext() {
        return allLinks.next(getAll());
    }
}
