package org.hubsso.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hubsso.mail.MailSettings.Security;
import org.junit.jupiter.api.Test;

class MailSettingsTest {

    static final String PASSWORD = "smtp-Pa55word-never-shown";

    static MailSettings settings(String... keysAndValues) {
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return MailSettings.read(key -> Optional.ofNullable(config.get(key)));
    }

    @Test
    void withoutAHostMailGoesToTheOutboxInTheDataDirectory() {
        MailSettings s = settings();
        assertFalse(s.smtp());
        assertEquals(Path.of("./hub-data", "outbox"), s.outbox());
        assertEquals("no-reply@hub.localhost", s.from().getAddress());
        assertEquals("Hub", s.from().getPersonal());
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ofSeconds(5), s.timeout());
        assertEquals(Path.of("/srv/hub", "outbox"), settings("hub.data.dir", "/srv/hub").outbox());
        assertFalse(settings("hub.mail.host", "  ").smtp(), "a blank host (an empty environment variable) is unset");
    }

    @Test
    void theSecurityChoosesTheDefaultPortAndStartTlsIsTheDefault() {
        assertEquals(Security.STARTTLS, settings("hub.mail.host", "smtp.example.org").security());
        assertEquals(587, settings("hub.mail.host", "smtp.example.org").port());
        assertEquals(465, settings("hub.mail.host", "smtp.example.org", "hub.mail.security", "SSL").port());
        assertEquals(25, settings("hub.mail.host", "smtp.example.org", "hub.mail.security", "none").port());
        MailSettings s = settings("hub.mail.host", "127.0.0.1", "hub.mail.port", "2525", "hub.mail.security", "none",
                "hub.mail.from", "Acme Hub <hub@acme.example>", "hub.mail.connect-timeout", "1500ms",
                "hub.mail.timeout", "10s");
        assertEquals(2525, s.port());
        assertEquals("hub@acme.example", s.from().getAddress());
        assertEquals(Duration.ofMillis(1500), s.connectTimeout());
        assertEquals(Duration.ofSeconds(10), s.timeout());
        assertNull(s.user());
    }

    @Test
    void aBadValueStopsTheStartNamingItsKey() {
        Map<String, String[]> bad = Map.of(
                "hub.mail.port", new String[] {"hub.mail.host", "h", "hub.mail.port", "smtp"},
                "hub.mail.port ", new String[] {"hub.mail.host", "h", "hub.mail.port", "70000"},
                "hub.mail.security", new String[] {"hub.mail.host", "h", "hub.mail.security", "tls"},
                "hub.mail.timeout", new String[] {"hub.mail.timeout", "5 minutes"},
                "hub.mail.timeout ", new String[] {"hub.mail.timeout", "61s"},
                "hub.mail.connect-timeout", new String[] {"hub.mail.connect-timeout", "10ms"},
                "hub.mail.from", new String[] {"hub.mail.from", "not an address"},
                "hub.mail.host", new String[] {"hub.mail.host", "smtp.example.org/evil"});
        bad.forEach((key, config) -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> settings(config), key);
            assertTrue(e.getMessage().contains(key.strip()), e.getMessage());
        });
    }

    @Test
    void userAndPasswordGoTogetherAndThePasswordIsNeverShown() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> settings("hub.mail.host", "h", "hub.mail.password", PASSWORD));
        assertTrue(e.getMessage().contains("hub.mail.user"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
        assertThrows(IllegalStateException.class, () -> settings("hub.mail.host", "h", "hub.mail.user", "hub"));

        MailSettings s = settings("hub.mail.host", "smtp.example.org", "hub.mail.user", "hub",
                "hub.mail.password", PASSWORD);
        assertEquals("hub", s.user());
        assertEquals(PASSWORD, s.password());
        assertTrue(s.toString().contains("smtp.example.org:587") && s.toString().contains("hub"), s.toString());
        assertFalse(s.toString().contains(PASSWORD), s.toString());

        IllegalStateException other = assertThrows(IllegalStateException.class, () -> settings("hub.mail.host", "h",
                "hub.mail.user", "hub", "hub.mail.password", PASSWORD, "hub.mail.port", PASSWORD));
        assertFalse(other.getMessage().contains(PASSWORD), "a bad value is not repeated: " + other.getMessage());
    }

    @Test
    void aClaimOutlastsTheSlowestDeliveryTheTimeoutsAllow() {
        assertEquals(Duration.ofSeconds(5 + 20 * 5), settings().claimLease());
        assertEquals(Duration.ofMinutes(1), settings("hub.mail.connect-timeout", "1s", "hub.mail.timeout", "1s")
                .claimLease(), "never under a minute");
        MailSettings slow = settings("hub.mail.connect-timeout", "60s", "hub.mail.timeout", "60s");
        assertEquals(Duration.ofSeconds(60 + 20 * 60), slow.claimLease());
    }
}
