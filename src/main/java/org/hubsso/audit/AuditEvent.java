package org.hubsso.audit;

import java.util.Arrays;
import java.util.Optional;

/** Everything the audit trail records, with the code the page, the exports and the database use. */
public enum AuditEvent {
    SSO_LOGIN("sso.login"),
    SSO_JOIN("sso.join"),
    MEMBER_ROLE("member.role"),
    MEMBER_JOIN("member.join"),
    MEMBER_REMOVE("member.remove"),
    SSO_SETTINGS("sso.settings"),
    SSO_DRAFT("sso.draft"),
    SSO_ENABLE("sso.enable"),
    SSO_DISABLE("sso.disable"),
    SSO_SESSION_REVOKE("sso.session.revoke"),
    SSO_TEST("sso.test"),
    SSO_RECOVERY_CODES("sso.recovery.codes"),
    SSO_RECOVERY_USE("sso.recovery.use"),
    SSO_OVERRIDE("sso.override"),
    SSO_CERTIFICATE_EXPIRY("sso.certificate.expiry"),
    SSO_SP_KEY("sso.sp.key"),
    ORG_SETTINGS("org.settings");

    private final String code;

    AuditEvent(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<AuditEvent> byCode(String code) {
        return Arrays.stream(values()).filter(e -> e.code.equals(code)).findFirst();
    }

    /** How what was recorded went. */
    public enum Outcome {
        SUCCESS, FAILURE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
