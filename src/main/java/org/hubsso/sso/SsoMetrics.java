package org.hubsso.sso;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.hubsso.hub.HubMeters;
import org.hubsso.hub.Organization;

/**
 * SSO meters on {@code /metrics} ({@link HubMeters}), counted per node: completed sign-ins by organization, protocol
 * and outcome ({@code hub_sso_logins_total}); answers refused at the ACS or callback by reason code
 * ({@code hub_sso_validation_failures_total}); and the time from the start of a sign-in to its successful completion,
 * the whole trip through the IdP ({@code hub_sso_login_duration_seconds}); and the expiry warnings of trusted
 * certificates ({@code hub_sso_certificate_expiry_warnings_total}).
 */
@ApplicationScoped
public class SsoMetrics {

    static final String LOGINS = "hub.sso.logins";
    static final String FAILURES = "hub.sso.validation.failures";
    static final String DURATION = "hub.sso.login.duration";
    static final String CERTIFICATE_WARNINGS = "hub.sso.certificate.expiry.warnings";

    @Inject
    HubMeters meters;

    /** Registered at start, so every reason and protocol shows (at 0) before it first happens. */
    private final Map<SsoFailure.Reason, Counter> failures = new EnumMap<>(SsoFailure.Reason.class);
    private final Map<SsoProtocol, Timer> durations = new EnumMap<>(SsoProtocol.class);

    @PostConstruct
    void register() {
        for (SsoFailure.Reason reason : SsoFailure.Reason.values()) {
            failures.put(reason, Counter.builder(FAILURES).description("IdP answers refused, by reason code")
                    .tag("reason", reason.code()).register(meters.registry()));
        }
        for (SsoProtocol protocol : SsoProtocol.values()) {
            durations.put(protocol, Timer.builder(DURATION)
                    .description("From the sign-in's start (request sent to the IdP) to its successful completion")
                    .tag("protocol", tag(protocol)).register(meters.registry()));
        }
    }

    /** Made at start, so {@code /metrics} lists these meters from the first scrape on. */
    void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // being called made the instance and registered the meters
    }

    private static String tag(SsoProtocol protocol) {
        return protocol.name().toLowerCase(Locale.ROOT);
    }

    /** A sign-in reached the shared pipeline and ended with {@code outcome}. */
    public void completed(Organization org, PendingRequest pending, SsoOutcome outcome, Instant now) {
        String result = pending.isTestMode() ? "test" : outcome.isRedirect() ? "success" : "failure";
        Counter.builder(LOGINS)
                .description("Completed SSO sign-ins by organization, protocol and outcome (success, failure, test)")
                .tags("org", org.getName(), "protocol", tag(pending.getProtocol()), "outcome", result)
                .register(meters.registry()).increment();
        if (result.equals("success")) {
            durations.get(pending.getProtocol()).record(Duration.between(pending.getCreatedAt(), now));
        }
    }

    /** A certificate expiry warning was given (threshold 90, 30, 7 days, or 0 when it expired). */
    public void certificateWarning(Organization org, int thresholdDays) {
        Counter.builder(CERTIFICATE_WARNINGS)
                .description("Expiry warnings of trusted IdP signing certificates, by organization and threshold")
                .tags("org", org.getName(), "days", String.valueOf(thresholdDays)).register(meters.registry())
                .increment();
    }

    /** An IdP answer was refused. */
    public void rejected(SsoFailure.Reason reason) {
        failures.get(reason).increment();
    }
}
