package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Paths;
import org.hubsso.hub.PublicUrl;

/**
 * This hub's service-provider URLs for one organization. They are built from the stable Organization ID, so
 * renaming an organization never breaks what its IdP has registered, and an assertion for one organization's
 * SP can never be used at another's. The public base URL is {@link PublicUrl}'s.
 */
@ApplicationScoped
public class SpEndpoints {

    @Inject
    PublicUrl publicUrl;

    public String base() {
        return publicUrl.base();
    }

    public String entityId(Organization org) {
        return entityId(org.getOrgUid());
    }

    /** The SAML entity ID, which is also where the SP metadata is. */
    public String entityId(String orgUid) {
        return base() + Paths.samlMetadata(orgUid);
    }

    public String acsUrl(Organization org) {
        return acsUrl(org.getOrgUid());
    }

    public String acsUrl(String orgUid) {
        return base() + Paths.samlAcs(orgUid);
    }

    /** The OpenID Connect redirect URI admins register at their IdP (by Organization ID, like the ACS). */
    public String oidcCallbackUrl(Organization org) {
        return oidcCallbackUrl(org.getOrgUid());
    }

    public String oidcCallbackUrl(String orgUid) {
        return base() + Paths.oidcCallback(orgUid);
    }
}
