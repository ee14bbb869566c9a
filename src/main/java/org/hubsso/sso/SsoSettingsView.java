package org.hubsso.sso;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an organization's SSO settings page shows, as plain values: no entity and no secret (a stored client secret
 * is only "stored"). Getters, for Faces EL.
 */
public final class SsoSettingsView {

    private final String orgName;
    private final String orgUid;
    private final boolean enabled;
    private final long liveVersion;
    private final Long draftVersion;
    private final SsoProtocol protocol;
    private final Form form;
    private final List<Certificate> certificates;
    private final LastTest lastTest;
    private final boolean liveTestedByViewer;
    private final boolean draftTestedByViewer;

    SsoSettingsView(String orgName, String orgUid, boolean enabled, IdpConfig live, IdpConfig draft,
            LastTest lastTest, boolean liveTestedByViewer, boolean draftTestedByViewer, Map<String, Instant> keyUses,
            Instant now) {
        IdpConfig working = draft != null ? draft : live;
        this.orgName = orgName;
        this.orgUid = orgUid;
        this.enabled = enabled;
        this.liveVersion = live.version();
        this.draftVersion = draft == null ? null : draft.version();
        this.protocol = working.protocol();
        this.form = new Form(working);
        this.certificates = working.saml().certificates().stream().map(c -> new Certificate(c,
                keyUses.get(c.sha256Fingerprint()), now)).toList();
        this.lastTest = lastTest;
        this.liveTestedByViewer = liveTestedByViewer;
        this.draftTestedByViewer = draftTestedByViewer;
    }

    public String getOrgName() {
        return orgName;
    }

    public String getOrgUid() {
        return orgUid;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** The number of the configuration members sign in with. */
    public long getLiveVersion() {
        return liveVersion;
    }

    /** The number of the draft being tried while SSO is enforced, or {@code null}. */
    public Long getDraftVersion() {
        return draftVersion;
    }

    public boolean isHasDraft() {
        return draftVersion != null;
    }

    /** Whether a protocol is configured at all (in the draft, else the live configuration). */
    public boolean isConfigured() {
        return protocol != null;
    }

    /** Whether the configuration shown (the draft, or the live one) speaks OpenID Connect. */
    public boolean isOidc() {
        return protocol == SsoProtocol.OIDC;
    }

    /** What the forms show and "Update and Test" tries: the draft when there is one, else the live one. */
    public Form getForm() {
        return form;
    }

    /** The SAML signing certificates trusted by the configuration shown. */
    public List<Certificate> getCertificates() {
        return certificates;
    }

    /** The first of them, or {@code null}. */
    public Certificate getCertificate() {
        return certificates.isEmpty() ? null : certificates.get(0);
    }

    /** Whether any trusted certificate expires within 90 days, or has expired. */
    public boolean isExpiryWarning() {
        return certificates.stream().anyMatch(c -> c.getWarning() != null);
    }

    /** The viewer's newest test, or {@code null}. */
    public LastTest getLastTest() {
        return lastTest;
    }

    /** Which configuration the viewer's last test tried: "live", "draft", or "earlier". */
    public String getLastTestTried() {
        if (lastTest == null) {
            return null;
        }
        if (draftVersion != null && lastTest.configVersion == draftVersion) {
            return "draft";
        }
        return lastTest.configVersion == liveVersion ? "live" : "earlier";
    }

    /** Whether the email the IdP vouched for in the viewer's last test is a verified email of the viewer. */
    public boolean isLastTestMatchesViewer() {
        return lastTest != null && lastTest.matchesViewer;
    }

    /** Whether the email of the viewer's last passed test is in the organization's matching email domains. */
    public boolean isLastTestInDomains() {
        return lastTest != null && lastTest.inDomains;
    }

    /** Whether the viewer may enable: a passing test of the live configuration, as one of their own emails. */
    public boolean isTestedByViewer() {
        return liveTestedByViewer;
    }

    /** Whether the viewer may apply the draft: a passing test of it, as one of their own emails. */
    public boolean isDraftTestedByViewer() {
        return draftTestedByViewer;
    }

    /** The fields of the configuration shown, as the forms start with them. */
    public static final class Form {
        private final IdpConfig config;

        Form(IdpConfig config) {
            this.config = config;
        }

        public String getSignOnUrl() {
            return config.saml().getSignOnUrl();
        }

        public String getIdpIssuer() {
            return config.saml().getIdpIssuer();
        }

        public String getCertificatePem() {
            return config.saml().getCertificatePem();
        }

        public String getEmailAttribute() {
            return config.saml().getEmailAttribute();
        }

        public String getMetadataUrl() {
            return config.saml().getMetadataUrl();
        }

        public boolean isAllowSha1() {
            return config.saml().isAllowSha1();
        }

        public boolean isSignRequests() {
            return config.saml().isSignRequests();
        }

        public int getClockSkewSeconds() {
            return (int) config.clockSkew().toSeconds();
        }

        public String getIssuerUrl() {
            return config.oidc().getIssuer();
        }

        public String getClientId() {
            return config.oidc().getClientId();
        }

        /** Whether a client secret is stored; the secret itself never reaches a page. */
        public boolean isClientSecretStored() {
            return config.oidc().hasClientSecret();
        }

        public String getScopes() {
            return config.oidc().getScopes();
        }

        public String getEmailClaim() {
            return config.oidc().getEmailClaim();
        }

        public boolean isRequireEmailVerified() {
            return config.oidc().isRequireEmailVerified();
        }

        public boolean isAcceptEntraEdov() {
            return config.oidc().isAcceptEntraEdov();
        }
    }

    /** A signing certificate as the page shows it: who it is, when it is valid, when it last verified a sign-in. */
    public static final class Certificate {
        private final IdpCertificate certificate;
        private final Instant lastVerified;
        private final String warning;

        Certificate(IdpCertificate certificate, Instant lastVerified, Instant now) {
            this.certificate = certificate;
            this.lastVerified = lastVerified;
            this.warning = CertificateExpiry.of(certificate.notAfter(), now).message(certificate.notAfter(), now);
        }

        /** When it last verified an IdP's answer, or {@code null} (never, or not since it was added). */
        public Instant getLastVerified() {
            return lastVerified;
        }

        /** The expiry warning, or {@code null}. */
        public String getWarning() {
            return warning;
        }

        public String getSubject() {
            return certificate.subject();
        }

        public String getSha256Fingerprint() {
            return certificate.sha256Fingerprint();
        }

        public Instant getNotBefore() {
            return certificate.notBefore();
        }

        public Instant getNotAfter() {
            return certificate.notAfter();
        }
    }

    /** The viewer's newest "Update and Test", and whether its email is the viewer's own. */
    public static final class LastTest {
        private final SsoTestResult result;
        private final long configVersion;
        private final boolean matchesViewer;
        private final boolean inDomains;

        LastTest(SsoTestResult result, boolean matchesViewer, boolean inDomains) {
            this.result = result;
            this.configVersion = result.getConfigVersion();
            this.matchesViewer = matchesViewer;
            this.inDomains = inDomains;
        }

        public boolean isPassed() {
            return result.isPassed();
        }

        public String getReason() {
            return result.getReason();
        }

        public String getMessage() {
            return result.getMessage();
        }

        public String getSubject() {
            return result.getSubject();
        }

        public String getIdpEmail() {
            return result.getIdpEmail();
        }

        public Long getSkewMillis() {
            return result.getSkewMillis();
        }

        public Instant getCreatedAt() {
            return result.getCreatedAt();
        }

        /** The IdP's profile, indented for reading, or {@code null}. */
        public String getAttributesPretty() {
            return result.getAttributesPretty();
        }
    }
}
