package org.hubsso.sso.saml;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Role;
import org.hubsso.sso.Fields;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.SamlConfig;
import org.hubsso.sso.SignOnUrls;
import org.hubsso.sso.SsoSettingsService;

/**
 * The SAML fields of an organization's SSO settings, for its admins: checked here, then stored by the core
 * ({@link SsoSettingsService#save}: live, or the draft while SSO is enforced, audited with a diff).
 */
@ApplicationScoped
public class SamlSettings {

    public static final int MAX_ISSUER = 1000;

    @Inject
    SsoSettingsService settings;

    @Inject
    HubClock clock;

    /** Saves the SAML configuration and makes SAML the protocol. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpConfig save(@OrgName String orgName, String signOnUrl, String idpIssuer, String certificate,
            String emailAttribute, Integer clockSkewSeconds, boolean allowSha1) {
        String url = SignOnUrls.require("signOnUrl", signOnUrl).toString();
        String issuer = Fields.required("idpIssuer", idpIssuer, MAX_ISSUER, "Required: the IdP's entity ID / issuer.");
        IdpCertificate cert = IdpCertificate.parse("certificate", certificate, clock.now());
        String attribute = Fields.optional("emailAttribute", emailAttribute, 200, SamlConfig.DEFAULT_EMAIL_ATTRIBUTE);
        Duration skew = Fields.clockSkew("clockSkew", clockSkewSeconds);
        SamlConfig saml = new SamlConfig(url, issuer, cert.pem(), attribute, allowSha1);
        return settings.save(orgName, (org, working) -> working.withSaml(saml, skew));
    }

    /** Reads Sign-On URL (HTTP-Redirect), issuer and signing certificate from IdP metadata XML. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpMetadata readMetadata(@OrgName String orgName, String xml) {
        return IdpMetadata.read("metadata", xml);
    }

    /** Whether this server's Java XML signature policy lets an organization allow SHA-1 ({@link LegacySha1}). */
    public boolean serverAllowsSha1() {
        return LegacySha1.jvmAllows();
    }
}
