package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.hubsso.hub.Membership;
import org.hubsso.hub.Organization;
import org.hubsso.orgs.OrganizationService;

@Named("home")
@RequestScoped
public class HomeBean {

    @Inject
    OrganizationService orgs;

    private List<Membership> mine;
    private List<Organization> recent;

    public List<Membership> getMine() {
        if (mine == null) {
            mine = orgs.mine();
        }
        return mine;
    }

    public List<Organization> getRecent() {
        if (recent == null) {
            recent = orgs.recent(20);
        }
        return recent;
    }
}
