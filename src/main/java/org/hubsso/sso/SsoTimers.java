package org.hubsso.sso;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

/** Every hour, the certificate expiry warnings that are due ({@link CertificateWatch}). */
@Singleton
public class SsoTimers {

    @Inject
    CertificateWatch certificates;

    @Schedule(hour = "*", minute = "17", persistent = false)
    public void certificateExpiry() {
        certificates.checkAll();
    }
}
