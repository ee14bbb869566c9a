package org.hubsso.sso.saml;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Organizations;
import org.hubsso.hub.ValidationException;
import org.hubsso.outbound.Outbound;
import org.hubsso.outbound.OutboundHttp;
import org.hubsso.outbound.RefusedAddressException;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.SignOnUrls;
import org.hubsso.sso.SsoConfigs;
import org.hubsso.sso.SsoProtocol;

/**
 * Keeps an organization's SAML configuration in step with its IdP's metadata URL: on a schedule (default every
 * 6 hours, {@code hub.saml.metadata.refresh}; one node of a cluster at a time), on the admin's demand, and when an
 * answer's signature verifies with no trusted certificate (at most every 30 seconds). New signing certificates in the
 * metadata become trusted at once; a certificate gone from it stays trusted for a grace period after it was last
 * listed ({@code hub.saml.metadata.grace}, default 24 hours); the Sign-On URL follows the metadata. Signed metadata
 * must verify with a certificate already trusted; metadata naming another entity ID is refused. Every change is
 * audited with its diff; a failed refresh keeps the last good configuration and is shown on the settings page.
 */
@ApplicationScoped
public class SamlMetadataRefresh {

    private static final Logger LOG = Logger.getLogger(SamlMetadataRefresh.class.getName());
    /** At most this often on an unknown signing key, per organization, across the cluster. */
    static final Duration UNKNOWN_KEY_GAP = Duration.ofSeconds(30);
    /** A failed scheduled refresh is tried again after this, or the interval when that is shorter. */
    static final Duration RETRY = Duration.ofMinutes(15);
    /** How long a node holds a scheduled refresh before another may take it. */
    static final Duration CLAIM = Duration.ofMinutes(5);

    @Inject
    SamlMetadataStore store;

    @Inject
    Outbound outbound;

    @Inject
    SsoConfigs configs;

    @Inject
    Organizations organizations;

    @Inject
    @ConfigProperty(name = "hub.saml.metadata.refresh", defaultValue = "PT6H")
    String refreshEvery;

    @Inject
    @ConfigProperty(name = "hub.saml.metadata.grace", defaultValue = "PT24H")
    String grace;

    /** How a refresh went. */
    public record Outcome(boolean ok, boolean changed, String error) {
    }

    /** What the settings page shows of the refresh. */
    public record Status(Instant lastSuccess, Instant lastAttempt, String lastError, Instant nextRefresh) {
    }

    /** Refreshes now, as the admin asked (or as saving the metadata URL does). */
    public Outcome refresh(Organization org, String trigger) {
        IdpConfig live = configs.settingsOf(org).config();
        String url = live.saml().getMetadataUrl();
        if (live.protocol() != SsoProtocol.SAML || url == null) {
            store.succeeded(org, interval()); // nothing to refresh until a configuration with a metadata URL is live
            return new Outcome(false, false, "No metadata URL is configured.");
        }
        store.ensureState(org, interval());
        store.attempted(org);
        try {
            String xml = fetch(url);
            IdpMetadata metadata = IdpMetadata.read("metadataUrl", xml);
            boolean signed = IdpMetadata.signatureVerifies("metadataUrl", xml, live.saml().certificates());
            if (!metadata.idpIssuer().equals(live.saml().getIdpIssuer())) {
                throw new ValidationException("metadataUrl", "The metadata names the entity ID "
                        + metadata.idpIssuer() + ", not the configured issuer " + live.saml().getIdpIssuer()
                        + ": it was not used.");
            }
            String signOnUrl = SignOnUrls.require("metadataUrl", metadata.signOnUrl()).toString();
            boolean changed = store.apply(org, live.version(), metadata, signOnUrl, signed, trigger,
                    Duration.parse(grace), interval());
            return new Outcome(true, changed, null);
        } catch (ValidationException e) {
            store.failed(org, e.getMessage(), interval().compareTo(RETRY) < 0 ? interval() : RETRY);
            return new Outcome(false, false, e.getMessage());
        }
    }

    /**
     * An answer's signature verified with no trusted certificate: the IdP may have rotated its key. Refreshes when
     * the configuration has a metadata URL and no refresh was tried in the last {@link #UNKNOWN_KEY_GAP}.
     *
     * @return whether the live configuration changed
     */
    public boolean refreshForUnknownKey(Organization org, IdpConfig config) {
        if (config.saml().getMetadataUrl() == null) {
            return false;
        }
        store.ensureState(org, interval());
        if (!store.claimAttempt(org, UNKNOWN_KEY_GAP)) {
            return false;
        }
        Outcome outcome = refresh(org, "unknown signing key");
        return outcome.changed();
    }

    /** The scheduled refreshes that are due, each taken by one node only. */
    public void refreshDue() {
        for (Long orgId : store.due()) {
            if (store.claim(orgId, CLAIM)) {
                organizations.byId(orgId).ifPresent(org -> {
                    Outcome outcome = refresh(org, "scheduled");
                    if (!outcome.ok()) {
                        LOG.info("IdP metadata refresh of organization " + org.getName() + " failed: "
                                + outcome.error());
                    }
                });
            }
        }
    }

    /** Starts refreshing the organization's metadata on the schedule (its URL was just saved and read). */
    public void ensureState(Organization org) {
        store.ensureState(org, interval());
    }

    public Status status(Organization org) {
        return store.status(org);
    }

    /** Fetches and reads the metadata at {@code url} (an admin saving it); changes nothing. */
    IdpMetadata read(String url) {
        return IdpMetadata.read("metadataUrl", fetch(url));
    }

    /** Fetches the metadata, bounded in time and size, through the hub's address-checked outbound calls. */
    private String fetch(String url) {
        try {
            OutboundHttp.Answer answer = outbound.http().get(URI.create(url),
                    "application/samlmetadata+xml, application/xml, text/xml", IdpMetadata.MAX_LENGTH);
            if (answer.status() != 200) {
                throw new ValidationException("metadataUrl", "The metadata URL answered HTTP " + answer.status()
                        + ".");
            }
            return answer.text();
        } catch (OutboundHttp.TooLargeException e) {
            throw new ValidationException("metadataUrl", "The metadata is larger than " + IdpMetadata.MAX_LENGTH
                    + " bytes.");
        } catch (IOException | IllegalArgumentException e) {
            RefusedAddressException refused = OutboundHttp.refusal(e);
            throw new ValidationException("metadataUrl", refused != null ? "The metadata URL was not called: "
                    + refused.getMessage() + "." : "The metadata URL did not answer within "
                    + OutboundHttp.TIMEOUT.toSeconds() + " seconds.");
        }
    }

    Duration interval() {
        return Duration.parse(refreshEvery);
    }


}
