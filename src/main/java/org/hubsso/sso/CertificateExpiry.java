package org.hubsso.sso;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How close a trusted signing certificate is to its expiry: warnings start 90, 30 and 7 days before, and stay after it
 * expired. An expired certificate still verifies sign-ins (a pinned certificate is only a key container, as most
 * service providers treat it); the warning is what tells admins to roll over.
 */
public enum CertificateExpiry {
    EXPIRED(0), DAYS_7(7), DAYS_30(30), DAYS_90(90), FINE(-1);

    /** The thresholds warned about, in days before the expiry; 0 is the expiry itself. */
    public static final List<CertificateExpiry> WARNINGS = List.of(DAYS_90, DAYS_30, DAYS_7, EXPIRED);

    private final int days;

    CertificateExpiry(int days) {
        this.days = days;
    }

    /** Days before the expiry this warning starts (0: expired). */
    public int days() {
        return days;
    }

    public static CertificateExpiry of(Instant notAfter, Instant now) {
        if (!notAfter.isAfter(now)) {
            return EXPIRED;
        }
        Duration left = Duration.between(now, notAfter);
        for (CertificateExpiry level : List.of(DAYS_7, DAYS_30, DAYS_90)) {
            if (left.compareTo(Duration.ofDays(level.days)) <= 0) {
                return level;
            }
        }
        return FINE;
    }

    /** What the warning says, or {@code null} when there is nothing to say. */
    public String message(Instant notAfter, Instant now) {
        return switch (this) {
            case FINE -> null;
            case EXPIRED -> "Expired on " + notAfter + ". Sign-ins it signs still work, but the IdP should have"
                    + " rolled over: add its new certificate.";
            default -> "Expires in " + Math.max(1, Duration.between(now, notAfter).toDays()) + " days (" + notAfter
                    + "). Add the IdP's next certificate before then.";
        };
    }
}
