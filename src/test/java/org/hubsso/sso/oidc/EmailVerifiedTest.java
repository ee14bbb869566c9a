package org.hubsso.sso.oidc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

/**
 * Which ID tokens vouch for their email. Entra ID's organisational accounts carry no {@code email_verified}; the
 * claim shapes are those of Microsoft's documentation of the v2.0 ID token and its optional claim {@code xms_edov}.
 */
class EmailVerifiedTest {

    static final String ENTRA = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0";

    private static JWTClaimsSet token(String issuer, Object emailVerified, Object edov) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).subject("AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ")
                .claim("email", "alice@contoso.com").claim("tid", "9188040d-6c67-4c5b-b112-36a304b66dad");
        if (emailVerified != null) {
            b.claim("email_verified", emailVerified);
        }
        if (edov != null) {
            b.claim("xms_edov", edov);
        }
        return b.build();
    }

    @Test
    void emailVerifiedTrueCountsEverywhere() {
        assertTrue(OidcClient.vouchesForEmail(token("https://idp.example", true, null)));
        assertFalse(OidcClient.vouchesForEmail(token("https://idp.example", "true", null)), "a string is no boolean");
        assertFalse(OidcClient.vouchesForEmail(token("https://idp.example", false, null)));
        assertFalse(OidcClient.vouchesForEmail(token("https://idp.example", null, null)));
    }

    @Test
    void entraIdsDomainOwnerVerifiedCountsOnlyFromEntraAndOnlyWithoutEmailVerified() {
        assertFalse(OidcClient.vouchesForEmail(token(ENTRA, null, null)), "Entra's default token: nothing vouches");
        assertTrue(OidcClient.vouchesForEmail(token(ENTRA, null, true)));
        assertFalse(OidcClient.vouchesForEmail(token(ENTRA, null, "true")), "a string is no boolean");
        assertFalse(OidcClient.vouchesForEmail(token(ENTRA, false, true)), "an explicit false is not overruled");
        assertFalse(OidcClient.vouchesForEmail(token("https://idp.example", null, true)), "only from Entra ID");
        assertFalse(OidcClient.vouchesForEmail(token("https://login.microsoftonline.com.evil.test/"
                + "9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", null, true)));
        assertFalse(OidcClient.vouchesForEmail(token("https://login.microsoftonline.com/common/v2.0", null, true)),
                "a tenant-independent issuer names no tenant");
    }

    /** An organization that turned xms_edov off needs email_verified from Entra too. */
    @Test
    void anOrganizationCanTurnEntrasDomainOwnerVerifiedOff() {
        assertFalse(OidcClient.vouchesForEmail(token(ENTRA, null, true), false));
        assertTrue(OidcClient.vouchesForEmail(token(ENTRA, true, true), false), "email_verified still counts");
        assertTrue(OidcClient.vouchesForEmail(token(ENTRA, null, true), true));
    }
}
