package org.hubsso.sso.saml;

import java.security.Security;
import java.util.Set;

/**
 * SHA-1 XML signatures, for an IdP that cannot sign with anything better. Refused unless the organization's
 * admin switches them on, and even then only RSA-SHA1 with a SHA-1 digest (no DSA, ECDSA or MGF1 variants).
 *
 * <p>The JDK's own XML signature policy ({@code jdk.xml.dsig.secureValidationPolicy}, a JVM-wide security
 * property) refuses SHA-1 as well. An operator who has organizations needing it starts the server with
 * {@code -Djava.security.properties=server-config/xmldsig-legacy-sha1.security}, which lifts exactly those two
 * entries and keeps the rest of the JDK policy; the per-organization switch still decides for each organization.
 */
public final class LegacySha1 {

    public static final String RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    public static final String SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1";
    static final Set<String> ALGORITHMS = Set.of(RSA_SHA1, SHA1);
    static final String POLICY_PROPERTY = "jdk.xml.dsig.secureValidationPolicy";

    private LegacySha1() {
    }

    /** Whether this JVM's XML signature policy lets RSA-SHA1 with SHA-1 digests verify. */
    public static boolean jvmAllows() {
        return policyAllows(Security.getProperty(POLICY_PROPERTY));
    }

    static boolean policyAllows(String policy) {
        if (policy == null) {
            return true;
        }
        for (String entry : policy.split(",")) {
            String[] words = entry.strip().split("\\s+");
            if (words.length == 2 && words[0].equals("disallowAlg") && ALGORITHMS.contains(words[1])) {
                return false;
            }
        }
        return true;
    }
}
