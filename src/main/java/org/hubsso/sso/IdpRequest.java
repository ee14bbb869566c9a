package org.hubsso.sso;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An IdP's answer as it reached the hub (the ACS's POST, the OIDC callback's GET), read only: what a protocol
 * adapter checks, without the servlet API.
 *
 * @param parameters every parameter with all its values, query string and form body together
 * @param queryString the raw query string, or {@code null}
 */
public record IdpRequest(String method, Map<String, List<String>> parameters, String queryString) {

    /**
     * Largest answer an IdP may post, in characters of its form value (a SAMLResponse in base64); the web layer
     * refuses larger bodies before they are read.
     */
    public static final int MAX_POSTED_ANSWER = 256 * 1024;

    public IdpRequest {
        parameters = Map.copyOf(parameters);
    }

    /** All values of a parameter (none: empty). */
    public List<String> all(String name) {
        return parameters.getOrDefault(name, List.of());
    }

    /** The first value of a parameter. */
    public Optional<String> first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    public boolean has(String name) {
        return parameters.containsKey(name);
    }
}
