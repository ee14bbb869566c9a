package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.hubsso.hub.Paths;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.RecoveryCodes;
import org.hubsso.sso.SpEndpoints;
import org.hubsso.sso.SpKey;
import org.hubsso.sso.SpKeySet;
import org.hubsso.sso.SsoSettingsService;
import org.hubsso.sso.SsoSettingsView;
import org.hubsso.sso.oidc.OidcSettings;
import org.hubsso.sso.saml.IdpMetadata;
import org.hubsso.sso.saml.SamlMetadataRefresh;
import org.hubsso.sso.saml.SamlSettings;

/** {@code /organizations/{org}/settings/sso}: SAML or OIDC settings, "Update and Test", enable and disable. */
@Named("orgSso")
@RequestScoped
public class OrgSsoBean {

    @Inject
    SsoSettingsService settings;

    @Inject
    SamlSettings saml;

    @Inject
    OidcSettings oidc;

    @Inject
    SpEndpoints endpoints;

    @Inject
    RecoveryCodes recovery;

    @Inject
    RecoveryCodesOnce codesOnce;

    private List<String> recoveryCodes;

    private SsoSettingsView view;
    private SpKeySet spKeys;
    private String signOnUrl;
    private String idpIssuer;
    private String certificate;
    private String emailAttribute;
    private Integer clockSkew;
    private Boolean allowSha1;
    private Boolean signRequests;
    private String metadata;
    private String metadataUrl;
    private String nextCertificate;
    private String confirmRemove;
    private SamlMetadataRefresh.Status metadataStatus;
    private boolean metadataStatusLoaded;
    private String issuerUrl;
    private String clientId;
    private String clientSecret;
    private String scopes;
    private String emailClaim;
    private Boolean requireEmailVerified;
    private Boolean acceptEntraEdov;
    private Integer oidcClockSkew;

    public void load() {
        view = settings.view(orgName());
        SsoSettingsView.Form f = view.getForm();
        metadataUrl = metadataUrl == null ? f.getMetadataUrl() : metadataUrl;
        signOnUrl = signOnUrl == null ? f.getSignOnUrl() : signOnUrl;
        idpIssuer = idpIssuer == null ? f.getIdpIssuer() : idpIssuer;
        certificate = certificate == null ? f.getCertificatePem() : certificate;
        emailAttribute = emailAttribute == null ? f.getEmailAttribute() : emailAttribute;
        clockSkew = clockSkew == null ? f.getClockSkewSeconds() : clockSkew;
        allowSha1 = allowSha1 == null ? f.isAllowSha1() : allowSha1;
        signRequests = signRequests == null ? f.isSignRequests() : signRequests;
        issuerUrl = issuerUrl == null ? f.getIssuerUrl() : issuerUrl;
        clientId = clientId == null ? f.getClientId() : clientId;
        scopes = scopes == null ? f.getScopes() : scopes;
        emailClaim = emailClaim == null ? f.getEmailClaim() : emailClaim;
        requireEmailVerified = requireEmailVerified == null ? f.isRequireEmailVerified() : requireEmailVerified;
        acceptEntraEdov = acceptEntraEdov == null ? f.isAcceptEntraEdov() : acceptEntraEdov;
        oidcClockSkew = oidcClockSkew == null ? f.getClockSkewSeconds() : oidcClockSkew;
    }

    public SsoSettingsView getView() {
        if (view == null) {
            load();
        }
        return view;
    }

    public String getSpEntityId() {
        return endpoints.entityId(getView().getOrgUid());
    }

    public String getAcsUrl() {
        return endpoints.acsUrl(getView().getOrgUid());
    }

    /**
     * Where the page sends the browser after "Update and Test" ({@code ?continue=test}): the organization's SSO
     * start in test mode, which redirects to the IdP. The page does it with a fresh navigation, because the
     * Content-Security-Policy's {@code form-action 'self'} forbids a form post to end at another site through
     * redirects. (After "Enable", the settings answer "single sign-on required", and that page continues.)
     */
    public String getContinueUrl() {
        String step = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("continue");
        if (!"test".equals(step)) {
            return null;
        }
        return FacesContext.getCurrentInstance().getExternalContext().getRequestContextPath()
                + Paths.ssoStart(getView().getOrgName()) + "?test=1&returnTo=" + Paths.encode(settingsPath());
    }

    private static String settingsPath() {
        return Paths.ssoSettings(orgName());
    }

    /**
     * Saves the configuration (while SSO is enforced: as a draft, members keep the live one), then runs a real
     * round-trip through the IdP in test mode with it.
     */
    public void updateAndTest() {
        try {
            saml.save(orgName(), signOnUrl, idpIssuer, certificate, emailAttribute, clockSkew,
                    Boolean.TRUE.equals(allowSha1), metadataUrl, Boolean.TRUE.equals(signRequests));
            Pages.redirect(settingsPath() + "?continue=test");
        } catch (ValidationException e) {
            Pages.fieldError("saml", e);
        }
    }

    /** Saves the OpenID Connect draft (discovery fetched and checked), then runs a real round-trip in test mode. */
    public void updateAndTestOidc() {
        try {
            oidc.save(orgName(), issuerUrl, clientId, clientSecret, scopes, emailClaim,
                    Boolean.TRUE.equals(requireEmailVerified), Boolean.TRUE.equals(acceptEntraEdov), oidcClockSkew);
            Pages.redirect(settingsPath() + "?continue=test");
        } catch (ValidationException e) {
            Pages.fieldError("oidc", e);
        } finally {
            clientSecret = null;
        }
    }

    public String getRedirectUri() {
        return endpoints.oidcCallbackUrl(getView().getOrgUid());
    }

    /** Whether the configuration shown (the draft, or the live one) speaks OpenID Connect. */
    public boolean isOidc() {
        return getView().isOidc();
    }

    /** Whether a client secret is stored for the configuration shown; the secret itself never reaches the page. */
    public boolean isClientSecretStored() {
        return getView().getForm().isClientSecretStored();
    }

    /** Adds the IdP's next certificate to the live configuration (a rollover); no test needed: it only adds trust. */
    public void addCertificate() {
        try {
            saml.addCertificate(orgName(), nextCertificate);
            Pages.notice("The certificate is trusted now, beside the others.");
            Pages.redirect(settingsPath());
        } catch (ValidationException e) {
            Pages.fieldError("next", e);
        }
    }

    /** Removes a trusted certificate; the one that verified the newest sign-in asks to be confirmed first. */
    public void removeCertificate(String fingerprint, boolean confirmed) {
        try {
            saml.removeCertificate(orgName(), fingerprint, confirmed);
            Pages.notice("The certificate is no longer trusted.");
            Pages.redirect(settingsPath());
        } catch (ValidationException e) {
            if ("confirmRemove".equals(e.getField())) {
                confirmRemove = fingerprint;
            }
            Pages.fieldError("certs", e);
        }
    }

    /** The organization's SP keys, read once per request. */
    public List<SpKey> getSpKeys() {
        if (spKeys == null) {
            spKeys = saml.spKeys(orgName());
        }
        return spKeys.keys();
    }

    /** The active key of this use ({@code signing}, {@code encryption}), for its certificate. */
    public SpKey activeSpKey(String use) {
        getSpKeys();
        return spKeys.active(SpKey.Use.of(use));
    }

    /** Publishes a next SP key beside the active one. */
    public void prepareNextSpKey(String use) {
        try {
            SpKey next = saml.prepareNextSpKey(orgName(), SpKey.Use.of(use));
            Pages.notice("A next " + next.use().code() + " key is published in the SP metadata. Activate it once"
                    + " the IdP knows it.");
            Pages.redirect(settingsPath());
        } catch (ValidationException e) {
            Pages.fieldError("spkeys", e);
        }
    }

    /** Makes the next SP key the active one. */
    public void activateNextSpKey(String use) {
        try {
            SpKey active = saml.activateNextSpKey(orgName(), SpKey.Use.of(use));
            Pages.notice("The next " + active.use().code() + " key is active now; the one it replaces is retired.");
            Pages.redirect(settingsPath());
        } catch (ValidationException e) {
            Pages.fieldError("spkeys", e);
        }
    }

    public void refreshMetadata() {
        SamlMetadataRefresh.Outcome outcome = saml.refreshNow(orgName());
        if (outcome.ok()) {
            Pages.notice(outcome.changed() ? "Refreshed from the IdP's metadata: the changes are in the audit log."
                    : "Refreshed from the IdP's metadata: nothing changed.");
            Pages.redirect(settingsPath());
        } else {
            Pages.error("The metadata could not be used: " + outcome.error());
        }
    }

    /** How refreshes from the metadata URL went, or {@code null}. */
    public SamlMetadataRefresh.Status getMetadataStatus() {
        if (!metadataStatusLoaded) {
            metadataStatus = getView().getForm().getMetadataUrl() == null ? null : saml.metadataStatus(orgName());
            metadataStatusLoaded = true;
        }
        return metadataStatus;
    }

    private List<OidcSettings.Key> oidcKeys;

    /** The OpenID provider's signing keys and their last use (fetched once per request). */
    public List<OidcSettings.Key> getOidcKeys() {
        if (oidcKeys == null) {
            oidcKeys = isOidc() ? oidc.keys(orgName()) : List.of();
        }
        return oidcKeys;
    }

    public long getMetadataRefreshHours() {
        return saml.metadataRefreshEvery().toHours();
    }

    /** Fills the SAML form from the IdP's metadata URL; nothing is saved until Update and Test. */
    public void fillFromMetadataUrl() {
        try {
            fill(saml.readMetadataUrl(orgName(), metadataUrl));
            Pages.info("Filled in from " + metadataUrl + ". Review, then press Update and Test: the metadata URL"
                    + " keeps the certificates up to date from then on.");
        } catch (ValidationException e) {
            Pages.fieldError("saml", e);
        }
    }

    private void fill(IdpMetadata fields) {
        signOnUrl = fields.signOnUrl();
        idpIssuer = fields.idpIssuer();
        certificate = fields.certificatePem();
        if (fields.wantsSignedRequests()) {
            signRequests = Boolean.TRUE;
        }
    }

    public void fillFromMetadata() {
        try {
            fill(saml.readMetadata(orgName(), metadata));
            metadata = null;
            Pages.info("Filled in from the metadata. Review, then press Update and Test.");
        } catch (ValidationException e) {
            Pages.fieldError("meta", e);
        }
    }

    /**
     * Enables SSO, then sends the admin back to the settings, which now answer "single sign-on required" and
     * continue to the IdP at once ({@code ?continue=sso}), so the admin is back on the settings signed in by SSO.
     */
    public void enable() {
        try {
            List<String> codes = settings.enable(orgName());
            if (!codes.isEmpty()) {
                codesOnce.put(orgName(), codes);
            }
            Pages.notice("Single sign-on is enabled. Members now pass your IdP to see the organization.");
            Pages.redirect(settingsPath() + "?continue=sso");
        } catch (ValidationException e) {
            Pages.fieldError("state", e);
        }
    }

    /**
     * Recovery codes to show now, once: a set just made here, or the set made when this admin enabled SSO (shown on
     * the first page after the IdP round trip).
     */
    public List<String> getRecoveryCodes() {
        if (recoveryCodes == null) {
            recoveryCodes = codesOnce.take(orgName());
        }
        return recoveryCodes;
    }

    /** How many recovery codes of the current set are unused. */
    public long getRecoveryCodesLeft() {
        return recovery.remaining(orgName());
    }

    /** A new set of recovery codes, shown on this page once; the old set stops working. */
    public void regenerateRecoveryCodes() {
        recoveryCodes = recovery.regenerate(orgName());
        Pages.info("A new set of recovery codes: the old codes no longer work. Save these now.");
    }

    /** Makes the tested draft live. */
    public void applyDraft() {
        try {
            settings.applyDraft(orgName());
            Pages.notice("The draft is live: members now sign in with it.");
            Pages.redirect(settingsPath());
        } catch (ValidationException e) {
            Pages.fieldError("draft", e);
        }
    }

    public void discardDraft() {
        settings.discardDraft(orgName());
        Pages.notice("The draft was discarded; members keep signing in with the live configuration.");
        Pages.redirect(settingsPath());
    }

    public void disable() {
        settings.disable(orgName());
        Pages.notice("Single sign-on is disabled.");
        Pages.redirect(settingsPath());
    }

    private static String orgName() {
        return Pages.route().org();
    }

    public String getIssuerUrl() {
        return issuerUrl;
    }

    public void setIssuerUrl(String issuerUrl) {
        this.issuerUrl = issuerUrl;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    /** Write-only: the page never shows a stored secret. */
    public String getClientSecret() {
        return null;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getScopes() {
        return scopes;
    }

    public void setScopes(String scopes) {
        this.scopes = scopes;
    }

    public String getEmailClaim() {
        return emailClaim;
    }

    public void setEmailClaim(String emailClaim) {
        this.emailClaim = emailClaim;
    }

    public Boolean getRequireEmailVerified() {
        return requireEmailVerified;
    }

    public void setRequireEmailVerified(Boolean requireEmailVerified) {
        this.requireEmailVerified = requireEmailVerified;
    }

    public Boolean getAcceptEntraEdov() {
        return acceptEntraEdov;
    }

    public void setAcceptEntraEdov(Boolean acceptEntraEdov) {
        this.acceptEntraEdov = acceptEntraEdov;
    }

    public Integer getOidcClockSkew() {
        return oidcClockSkew;
    }

    public void setOidcClockSkew(Integer oidcClockSkew) {
        this.oidcClockSkew = oidcClockSkew;
    }

    public String getMetadataUrl() {
        return metadataUrl;
    }

    public void setMetadataUrl(String metadataUrl) {
        this.metadataUrl = metadataUrl;
    }

    public String getNextCertificate() {
        return nextCertificate;
    }

    public void setNextCertificate(String nextCertificate) {
        this.nextCertificate = nextCertificate;
    }

    /**
     * The certificate whose removal waits for a confirmation, or {@code null}: set by a refused removal, and carried
     * by the page's form into the confirming post (so that its "Remove anyway" button exists when it is decoded).
     */
    public String getConfirmRemove() {
        if (confirmRemove == null) {
            String carried = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap()
                    .get("confirming");
            confirmRemove = carried != null && carried.matches("[0-9A-F:]{1,100}") ? carried : "";
        }
        return confirmRemove.isEmpty() ? null : confirmRemove;
    }

    public String getSignOnUrl() {
        return signOnUrl;
    }

    public void setSignOnUrl(String signOnUrl) {
        this.signOnUrl = signOnUrl;
    }

    public String getIdpIssuer() {
        return idpIssuer;
    }

    public void setIdpIssuer(String idpIssuer) {
        this.idpIssuer = idpIssuer;
    }

    public String getCertificate() {
        return certificate;
    }

    public void setCertificate(String certificate) {
        this.certificate = certificate;
    }

    public String getEmailAttribute() {
        return emailAttribute;
    }

    public void setEmailAttribute(String emailAttribute) {
        this.emailAttribute = emailAttribute;
    }

    public Boolean getSignRequests() {
        return signRequests;
    }

    public void setSignRequests(Boolean signRequests) {
        this.signRequests = signRequests;
    }

    public Boolean getAllowSha1() {
        return allowSha1;
    }

    public void setAllowSha1(Boolean allowSha1) {
        this.allowSha1 = allowSha1;
    }

    /** Whether this server's Java XML signature policy lets SHA-1 signatures verify at all. */
    public boolean isServerAllowsSha1() {
        return saml.serverAllowsSha1();
    }

    public Integer getClockSkew() {
        return clockSkew;
    }

    public void setClockSkew(Integer clockSkew) {
        this.clockSkew = clockSkew;
    }

    public String getMetadata() {
        return metadata;
    }

    public void setMetadata(String metadata) {
        this.metadata = metadata;
    }
}
