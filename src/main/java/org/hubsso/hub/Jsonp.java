package org.hubsso.hub;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. {@code jakarta.json.Json}'s static factories look the provider up again at every
 * call (a ServiceLoader search through the application's libraries, then an OSGi lookup on Payara), which took about a
 * tenth of the server's CPU per SAML login in {@code LoginBenchmark}. The API recommends caching it; all its methods
 * are safe for concurrent use.
 */
public final class Jsonp {

    public static final JsonProvider JSON = JsonProvider.provider();

    private Jsonp() {
    }
}
