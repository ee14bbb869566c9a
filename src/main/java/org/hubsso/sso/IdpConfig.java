package org.hubsso.sso;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One version of an organization's IdP configuration: the one members sign in with (live), or a draft an admin is
 * testing. Protocol adapters are built from it; the version says which one a sign-in in flight was started with.
 *
 * @param version the configuration's number; every saved change gets a new one, a draft keeps its number when applied
 */
public record IdpConfig(long version, SsoProtocol protocol, Duration clockSkew, SamlConfig saml, OidcConfig oidc) {

    public IdpConfig {
        Objects.requireNonNull(clockSkew);
        saml = saml == null ? SamlConfig.none() : saml;
        oidc = oidc == null ? OidcConfig.none() : oidc;
    }

    /** Whether its protocol's configuration is complete enough to sign in with. */
    public boolean isComplete() {
        return protocol == SsoProtocol.SAML ? saml.isComplete() : protocol == SsoProtocol.OIDC && oidc.isComplete();
    }

    /** The same configuration, whatever its version. */
    public boolean sameAs(IdpConfig other) {
        return protocol == other.protocol && clockSkew.equals(other.clockSkew) && saml.equals(other.saml)
                && oidc.equals(other.oidc);
    }

    public IdpConfig withSaml(SamlConfig saml, Duration clockSkew) {
        return new IdpConfig(version, SsoProtocol.SAML, clockSkew, saml, oidc);
    }

    public IdpConfig withOidc(OidcConfig oidc, Duration clockSkew) {
        return new IdpConfig(version, SsoProtocol.OIDC, clockSkew, saml, oidc);
    }

    /**
     * What changes from {@code before} to this, field by field, for the audit trail: secrets only as "changed",
     * certificates by fingerprint.
     */
    public Map<String, Object> diff(IdpConfig before) {
        Map<String, Object> diff = new LinkedHashMap<>();
        Diffs.put(diff, "protocol", before.protocol, protocol);
        saml.diff(before.saml, diff);
        oidc.diff(before.oidc, diff);
        Diffs.put(diff, "clockSkewSeconds", before.clockSkew.toSeconds(), clockSkew.toSeconds());
        return diff;
    }
}
