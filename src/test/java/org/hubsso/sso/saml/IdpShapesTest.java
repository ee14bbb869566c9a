package org.hubsso.sso.saml;

import static org.hubsso.sso.saml.SamlResponseValidatorTest.ACS;
import static org.hubsso.sso.saml.SamlResponseValidatorTest.REQUEST;
import static org.hubsso.sso.saml.SamlResponseValidatorTest.SP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hubsso.hub.Role;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.RoleMapping;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.saml.SamlResponseValidator.Expectations;
import org.hubsso.sso.saml.TestIdp.Sign;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answers shaped as the common IdPs send them on their default application settings (NameID, attribute names and
 * NameFormats, what is signed, what is encrypted and how), from their public documentation, signed by the in-test
 * IdP; each with the outcome the hub must give with no setting changed from its default.
 */
class IdpShapesTest {

    static final String ENTRA_GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups";
    static final String CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";
    static final String UNSPECIFIED = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified";
    static final String GUID_ML = "5f3c2a1e-8b7d-4c6a-9e2f-1a2b3c4d5e6f";
    static final String GUID_ADMINS = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

    static TestIdp idp;
    static Expectations expect;
    static KeyPair sp;

    @BeforeAll
    static void setUp() throws Exception {
        idp = new TestIdp("https://sts.windows.net/8eaef023-2b34-4da1-9baa-8bc8c9d6a490/");
        expect = new Expectations(SP, ACS, idp.entityId, idp.certificate, Duration.ofMinutes(2), "", false);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        sp = generator.generateKeyPair();
    }

    static IdpIdentity accept(TestIdp.Answer answer) throws SsoFailure {
        return SamlResponseValidator.check(SamlResponseValidator.read(answer.encoded()), expect, Instant.now(),
                () -> List.of(sp.getPrivate())).identity();
    }

    /**
     * Entra ID (Enterprise application, SAML, default claims): NameID the UPN in the email format, the attributes
     * without a NameFormat under claim URIs, groups as object IDs, the assertion signed (RSA-SHA256).
     */
    static Map<String, List<String>> entraClaims(String upn, String mail) {
        Map<String, List<String>> claims = new LinkedHashMap<>();
        claims.put("http://schemas.microsoft.com/identity/claims/tenantid",
                List.of("8eaef023-2b34-4da1-9baa-8bc8c9d6a490"));
        claims.put("http://schemas.microsoft.com/identity/claims/objectidentifier",
                List.of("1d9f4c7e-6b2a-4f0e-8c3d-2a1b0c9d8e7f"));
        claims.put("http://schemas.microsoft.com/identity/claims/displayname", List.of("Alice Example"));
        claims.put(CLAIMS + "givenname", List.of("Alice"));
        claims.put(CLAIMS + "surname", List.of("Example"));
        claims.put(CLAIMS + "emailaddress", List.of(mail));
        claims.put(CLAIMS + "name", List.of(upn));
        return claims;
    }

    @Test
    void entraIdSamlGroupsAsObjectIdsMapToRoles() throws SsoFailure {
        Map<String, List<String>> claims = entraClaims("alice@contoso.test", "alice@contoso.test");
        claims.put(ENTRA_GROUPS, List.of(GUID_ML, GUID_ADMINS));
        IdpIdentity who = accept(idp.answer(REQUEST, SP, ACS, "alice@contoso.test")
                .nameId("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "alice@contoso.test")
                .attributes(claims, null).sign(Sign.ASSERTION));
        assertEquals("alice@contoso.test", who.email());
        RoleMapping byObjectId = RoleMapping.of("$['" + ENTRA_GROUPS + "']",
                Map.of(GUID_ADMINS, Role.ADMIN, GUID_ML, Role.WRITE));
        assertEquals(Role.ADMIN, byObjectId.evaluate(who.profileJson(), Role.READ).getRole());
        assertFalse(RoleMapping.groupsOverage(who.profileJson()));
    }

    /** Past 150 groups Entra sends groups.link, not the groups: recognized, so never a role from groups left out. */
    @Test
    void entraIdSamlOverageIsRecognized() throws SsoFailure {
        Map<String, List<String>> claims = entraClaims("alice@contoso.test", "alice@contoso.test");
        claims.put("http://schemas.microsoft.com/claims/groups.link", List.of(
                "https://graph.windows.net/8eaef023-2b34-4da1-9baa-8bc8c9d6a490/users/1d9f4c7e/getMemberObjects"));
        IdpIdentity who = accept(idp.answer(REQUEST, SP, ACS, "alice@contoso.test")
                .nameId("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "alice@contoso.test")
                .attributes(claims, null));
        assertTrue(RoleMapping.groupsOverage(who.profileJson()));
    }

    /** A persistent NameID (Entra's "Persistent" choice): the email comes from the emailaddress claim. */
    @Test
    void entraIdWithAPersistentNameIdReadsTheEmailClaim() throws SsoFailure {
        IdpIdentity who = accept(idp.answer(REQUEST, SP, ACS, "x")
                .nameId("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "AAAAAAAAAAAAAAAAAAAAAB4gH1XXg")
                .attributes(entraClaims("alice@contoso.onmicrosoft.test", "alice@contoso.test"), null));
        assertEquals("alice@contoso.test", who.email());
        assertEquals("AAAAAAAAAAAAAAAAAAAAAB4gH1XXg", who.subject());
    }

    /**
     * Okta (SAML 2.0 app integration, defaults): NameID the email (format EmailAddress), Response and assertion
     * signed with RSA-SHA256, attribute statements with the unspecified NameFormat.
     */
    @Test
    void oktaDefaults() throws SsoFailure {
        IdpIdentity who = accept(idp.answer(REQUEST, SP, ACS, "bob@acme.test")
                .attributes(Map.of("email", List.of("bob@acme.test"), "groups", List.of("Everyone", "ml-team")),
                        UNSPECIFIED).sign(Sign.BOTH));
        assertEquals("bob@acme.test", who.email());
        assertEquals(Role.WRITE, RoleMapping.of("groups", Map.of("ml-team", Role.WRITE))
                .evaluate(who.profileJson(), Role.READ).getRole());
    }

    /**
     * ADFS (relying party trust from the SP metadata, "Send LDAP Attributes as Claims"): a transient NameID, the
     * email and groups under claim URIs without a NameFormat, the assertion signed (its default
     * SamlResponseSignature AssertionOnly) and encrypted to the SP's key with AES-256-CBC and RSA-OAEP.
     */
    @Test
    void adfsDefaultsEncryptedToTheSpKey() throws SsoFailure {
        TestIdp.Answer adfs = idp.answer(REQUEST, SP, ACS, "carol@fabrikam.test")
                .nameId("urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "_6e1c3f0a-2b7d-4e9f-a1c2")
                .attributes(Map.of(CLAIMS + "emailaddress", List.of("carol@fabrikam.test"),
                        ENTRA_GROUPS, List.of("Domain Users", "FABRIKAM\\ML Team")), null)
                .sign(Sign.ASSERTION).encryptTo(sp.getPublic())
                .encryptedWith("http://www.w3.org/2001/04/xmlenc#aes256-cbc",
                        "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p");
        IdpIdentity who = accept(adfs);
        assertEquals("carol@fabrikam.test", who.email());
        assertEquals(Role.WRITE, RoleMapping.of("$['" + ENTRA_GROUPS + "']", Map.of("FABRIKAM\\ML Team",
                Role.WRITE)).evaluate(who.profileJson(), Role.READ).getRole());
    }

    /** SimpleSAMLphp's shape: transient NameID, {@code mail} by its OID with the URI NameFormat. */
    @Test
    void simpleSamlPhpUriNameFormat() throws SsoFailure {
        IdpIdentity who = accept(idp.answer(REQUEST, SP, ACS, "dan@example.test")
                .nameId("urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "_a1b2c3")
                .attributes(Map.of("urn:oid:0.9.2342.19200300.100.1.3", List.of("dan@example.test"),
                        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1", List.of("member", "staff")),
                        "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"));
        assertEquals("dan@example.test", who.email());
    }
}
