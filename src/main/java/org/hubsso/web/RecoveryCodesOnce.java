package org.hubsso.web;

import jakarta.enterprise.context.SessionScoped;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recovery codes made when an admin enabled SSO, kept in this admin's session only until a page has shown them
 * once (the settings page after the IdP round trip, or the failure page when that round trip failed). Small and
 * serializable, like everything in the session.
 */
@SessionScoped
public class RecoveryCodesOnce implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, List<String>> codes = new HashMap<>();

    synchronized void put(String org, List<String> generated) {
        codes.put(org.toLowerCase(java.util.Locale.ROOT), List.copyOf(generated));
    }

    /** The codes waiting for this organization, taken: a second page does not show them again. */
    synchronized List<String> take(String org) {
        List<String> waiting = org == null ? null : codes.remove(org.toLowerCase(java.util.Locale.ROOT));
        return waiting == null ? List.of() : waiting;
    }
}
