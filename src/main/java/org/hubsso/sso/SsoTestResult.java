package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hubsso.hub.Jsonp;

/** The outcome of one "Update and Test" round-trip, shown to the admin who ran it. */
@Entity
@Table(name = "sso_test_result")
public class SsoTestResult {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hub_seq")
    private Long id;

    @Column(name = "org_id", nullable = false)
    private Long orgId;

    @Column(name = "account_id", nullable = false)
    private Long accountId;

    @Column(name = "config_version", nullable = false)
    private long configVersion;

    @Column(nullable = false)
    private boolean passed;

    @Column(length = 60)
    private String reason;

    @Column(length = 2000)
    private String message;

    @Column(length = 1000)
    private String subject;

    @Column(name = "attributes_json", length = 16000)
    private String attributesJson;

    @Column(name = "skew_millis")
    private Long skewMillis;

    /** The email the IdP vouched for in a passed test. */
    @Column(name = "idp_email", length = 254)
    private String idpEmail;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected SsoTestResult() {
    }

    static SsoTestResult passed(Long orgId, Long accountId, long version, IdpIdentity identity, Instant now) {
        SsoTestResult r = new SsoTestResult();
        r.orgId = orgId;
        r.accountId = accountId;
        r.configVersion = version;
        r.passed = true;
        r.subject = identity.subject();
        r.attributesJson = identity.profileJson();
        r.skewMillis = identity.skewMillis();
        r.idpEmail = identity.email() == null || identity.email().length() > 254 ? null : identity.email();
        r.message = "The IdP signed in " + identity.email() + ".";
        r.createdAt = now;
        return r;
    }

    static SsoTestResult failed(Long orgId, Long accountId, long version, SsoFailure.Reason reason, String detail,
            long skewMillis, Instant now) {
        SsoTestResult r = new SsoTestResult();
        r.orgId = orgId;
        r.accountId = accountId;
        r.configVersion = version;
        r.passed = false;
        r.reason = reason.code();
        r.message = reason.text() + " " + (detail == null ? "" : detail);
        r.skewMillis = skewMillis;
        r.createdAt = now;
        return r;
    }

    public Long getId() {
        return id;
    }

    public long getConfigVersion() {
        return configVersion;
    }

    public boolean isPassed() {
        return passed;
    }

    public String getReason() {
        return reason;
    }

    public String getMessage() {
        return message;
    }

    public String getSubject() {
        return subject;
    }

    public String getAttributesJson() {
        return attributesJson;
    }

    /** The profile, indented for reading. */
    public String getAttributesPretty() {
        if (attributesJson == null) {
            return null;
        }
        java.io.StringWriter out = new java.io.StringWriter();
        try (jakarta.json.JsonWriter writer = Jsonp.JSON.createWriterFactory(
                java.util.Map.of(jakarta.json.stream.JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
            writer.write(Jsonp.JSON.createReader(new java.io.StringReader(attributesJson)).read());
        }
        return out.toString().strip();
    }

    /** The email the IdP vouched for, when the test passed. */
    public String getIdpEmail() {
        return idpEmail;
    }

    public Long getSkewMillis() {
        return skewMillis;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
