package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.SsoOverride;

/**
 * {@code /settings/admin}: the site admin's last resort for an organization whose admins are all locked out:
 * suspending its SSO enforcement, with a reason (loud: audited, mailed, shown), and lifting it. Others get 404.
 */
@Named("siteAdmin")
@RequestScoped
public class SiteAdminBean {

    @Inject
    SsoOverride override;

    private List<SsoOverride.Suspension> suspended;
    private String org;
    private String reason;

    /** Loads the page; anyone but a site admin gets the not-found page. */
    public void load() {
        suspended = override.suspended();
    }

    public List<SsoOverride.Suspension> getSuspended() {
        if (suspended == null) {
            load();
        }
        return suspended;
    }

    public void suspend() {
        try {
            override.suspend(org, reason);
            Pages.notice("Single sign-on enforcement of " + org + " is suspended; its admins were told.");
            Pages.redirect("/settings/admin");
        } catch (ValidationException e) {
            Pages.fieldError("override", e);
        }
    }

    public void lift(String orgName) {
        try {
            override.lift(orgName);
            Pages.notice("Single sign-on of " + orgName + " is enforced again.");
            Pages.redirect("/settings/admin");
        } catch (ValidationException e) {
            Pages.fieldError("suspended", e);
        }
    }

    public String getOrg() {
        return org;
    }

    public void setOrg(String org) {
        this.org = org;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
