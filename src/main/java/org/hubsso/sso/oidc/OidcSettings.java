package org.hubsso.sso.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;
import org.hubsso.outbound.Outbound;
import org.hubsso.sso.Fields;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.OidcConfig;
import org.hubsso.sso.SignOnUrls;
import org.hubsso.sso.SsoConfigs;
import org.hubsso.sso.SsoKeys;
import org.hubsso.sso.SsoProtocol;
import org.hubsso.sso.SsoSecrets;
import org.hubsso.sso.SsoSettingsService;

/**
 * The OpenID Connect fields of an organization's SSO settings, for its admins: checked here, the issuer's discovery
 * document fetched (bounded by {@link OidcDiscovery#TIMEOUT}) and checked, then stored by the core
 * ({@link SsoSettingsService#save}) with the document, so signing in never waits for discovery. The client secret
 * is write-only: blank keeps the stored one; it is sealed at rest and never shown, logged or put in the audit diff.
 */
@ApplicationScoped
public class OidcSettings {

    private static final String SCOPE_TOKEN = "[\\x21\\x23-\\x5B\\x5D-\\x7E]+";

    @Inject
    SsoSettingsService settings;

    @Inject
    SsoSecrets secrets;

    @Inject
    Outbound outbound;

    @Inject
    OidcKeys keys;

    @Inject
    SsoKeys usage;

    @Inject
    SsoConfigs configs;

    @Inject
    OrgContexts contexts;

    /** One key of the IdP's JWKS as the settings page shows it. */
    public record Key(String kid, String type, String algorithm, Instant lastUsed) {
    }

    /**
     * The IdP's signing keys (its JWKS, as this node last fetched it, or fetched now) and when each last verified an
     * ID token; empty when the JWKS cannot be read now.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public List<Key> keys(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        IdpConfig live = configs.settingsOf(org).config();
        if (live.protocol() != SsoProtocol.OIDC || live.oidc().getMetadata() == null) {
            return List.of();
        }
        Map<String, Instant> uses = usage.lastUses(org);
        try {
            JWKSet set = keys.of(org.getId(), OidcDiscovery.restricted(live.oidc().getMetadata()).getJWKSetURI())
                    .keys();
            return set.getKeys().stream().filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
                    .map(k -> new Key(k.getKeyID(), String.valueOf(k.getKeyType()), k.getAlgorithm() == null ? ""
                            : k.getAlgorithm().getName(), uses.get(k.getKeyID()))).toList();
        } catch (KeySourceException | RuntimeException e) {
            return List.of();
        }
    }

    /** Saves the OpenID Connect configuration and makes OIDC the protocol. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpConfig save(@OrgName String orgName, String issuerUrl, String clientId, String clientSecret,
            String scopes, String emailClaim, boolean requireEmailVerified, boolean acceptEntraEdov,
            Integer clockSkewSeconds) {
        String issuer = SignOnUrls.require("issuerUrl", issuerUrl).toString();
        String client = Fields.required("clientId", clientId, 500, "Required: the client ID the IdP issued (at most"
                + " 500 characters).");
        String secret = Fields.verbatim("clientSecret", clientSecret, 1000);
        String scope = scopes == null || scopes.isBlank() ? OidcConfig.DEFAULT_SCOPES
                : String.join(" ", scopes.strip().split("\\s+"));
        if (scope.length() > 500 || !scope.matches(SCOPE_TOKEN + "( " + SCOPE_TOKEN + ")*")
                || !List.of(scope.split(" ")).contains("openid")) {
            throw new ValidationException("scopes", "Space-separated scopes, including openid (e.g. \""
                    + OidcConfig.DEFAULT_SCOPES + "\").");
        }
        String claim = Fields.optional("emailClaim", emailClaim, 200, OidcConfig.DEFAULT_EMAIL_CLAIM);
        Duration skew = Fields.clockSkew("clockSkew", clockSkewSeconds);
        String metadata = OidcDiscovery.fetch("issuerUrl", issuer, outbound.http());
        return settings.save(orgName, (org, working) -> {
            String sealed = secret == null || secret.isEmpty() ? working.oidc().getSealedClientSecret()
                    : secrets.sealOidcSecret(org.getId(), secret);
            OidcDiscovery.requireClientAuthentication(sealed == null ? "clientSecret" : "issuerUrl", metadata,
                    sealed != null);
            return working.withOidc(new OidcConfig(issuer, client, sealed, scope, claim, requireEmailVerified,
                    acceptEntraEdov, metadata), skew);
        });
    }
}
