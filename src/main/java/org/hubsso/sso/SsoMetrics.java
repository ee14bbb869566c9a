package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.hubsso.hub.Organization;

/**
 * SSO metrics in the application scope of {@code /metrics} (MicroProfile Metrics), counted per node: completed
 * sign-ins by organization, protocol and outcome; answers refused at the ACS or callback by reason code; and the
 * time from the start of a sign-in to its successful completion (the whole trip through the IdP).
 */
@ApplicationScoped
public class SsoMetrics {

    static final Metadata LOGINS = Metadata.builder().withName("hub.sso.logins")
            .withDescription("Completed SSO sign-ins by organization, protocol and outcome (success, failure, test)")
            .build();
    static final Metadata FAILURES = Metadata.builder().withName("hub.sso.validation.failures")
            .withDescription("IdP answers refused, by reason code").build();
    static final Metadata DURATION = Metadata.builder().withName("hub.sso.login.duration")
            .withDescription("From the sign-in's start (request sent to the IdP) to its successful completion")
            .withUnit(MetricUnits.SECONDS).build();

    @Inject
    MetricRegistry registry;

    /** A sign-in reached the shared pipeline and ended with {@code outcome}. */
    public void completed(Organization org, PendingRequest pending, SsoOutcome outcome, Instant now) {
        String result = pending.isTestMode() ? "test" : outcome.isRedirect() ? "success" : "failure";
        String protocol = pending.getProtocol().name().toLowerCase(java.util.Locale.ROOT);
        registry.counter(LOGINS, new Tag("org", org.getName()), new Tag("protocol", protocol),
                new Tag("outcome", result)).inc();
        if (result.equals("success")) {
            registry.timer(DURATION, new Tag("protocol", protocol))
                    .update(Duration.between(pending.getCreatedAt(), now));
        }
    }

    /** An IdP answer was refused. */
    public void rejected(SsoFailure.Reason reason) {
        registry.counter(FAILURES, new Tag("reason", reason.code())).inc();
    }
}
