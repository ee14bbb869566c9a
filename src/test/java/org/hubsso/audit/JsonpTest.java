package org.hubsso.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.SsoProtocol;
import org.junit.jupiter.api.Test;

/**
 * The SSO path builds and reads JSON at every login (the identity of a pending request, the audit details): it must
 * not search for the JSON-P provider each time, as {@code jakarta.json.Json}'s static factories do.
 */
class JsonpTest {

    private static final String SERVICE = "META-INF/services/jakarta.json.spi.JsonProvider";

    /** Counts ServiceLoader's searches for a JSON-P provider through it (ServiceLoader asks the context loader). */
    static final class CountingLoader extends ClassLoader {
        final AtomicInteger searches = new AtomicInteger();

        CountingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (name.equals(SERVICE)) {
                searches.incrementAndGet();
            }
            return super.getResources(name);
        }
    }

    @Test
    void identityAndAuditJsonLookTheProviderUpOnce() {
        IdpIdentity identity = new IdpIdentity(SsoProtocol.SAML, "https://idp.example/realm", "ann@example.test",
                "ann@example.test", Map.of("groups", List.of("ml-team", "hub-admins")), 12);
        assertEquals(identity, IdpIdentity.fromJson(identity.toJson())); // the one lookup, when Jsonp loads

        CountingLoader counting = new CountingLoader(Thread.currentThread().getContextClassLoader());
        int viaJson = withContextLoader(counting, () -> Json.createObjectBuilder().build());
        assertTrue(viaJson > 0, "the counting loader sees the search Json's static factories make");

        int viaSso = withContextLoader(counting, () -> {
            for (int i = 0; i < 50; i++) {
                assertEquals(identity, IdpIdentity.fromJson(identity.toJson()));
                Audit.json(Map.of("role", "read", "source", "default"));
            }
        });
        assertEquals(0, viaSso, "provider searches while 50 identities and audit details were written and read");
    }

    private static int withContextLoader(CountingLoader loader, Runnable work) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        int start = loader.searches.get();
        thread.setContextClassLoader(loader);
        try {
            work.run();
        } finally {
            thread.setContextClassLoader(before);
        }
        return loader.searches.get() - start;
    }
}
