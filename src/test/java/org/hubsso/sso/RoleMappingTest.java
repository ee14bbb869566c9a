package org.hubsso.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoleMappingTest {

    /**
     * Entra ID's shapes, from Microsoft's documentation of group claims: group object IDs map like any value, and an
     * overage indicator (too many groups to send) is recognised in an ID token and in a SAML profile.
     */
    @Test
    void entraGroupObjectIdsMapAndOverageIsRecognised() {
        RoleMapping mapping = RoleMapping.of("groups", Map.of("93e87d8f-5ba3-4f2b-8c36-1e4c7ab3b5e0", Role.ADMIN));
        String token = "{\"iss\":\"https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0\","
                + "\"groups\":[\"0b5b8e73-6b0f-4b1a-9c3c-2a5a8f1f1d11\",\"93e87d8f-5ba3-4f2b-8c36-1e4c7ab3b5e0\"]}";
        assertEquals(Role.ADMIN, mapping.evaluate(token, Role.READ).getRole());
        assertFalse(RoleMapping.groupsOverage(token));
        assertTrue(RoleMapping.groupsOverage("{\"_claim_names\":{\"groups\":\"src1\"},\"_claim_sources\":{\"src1\":"
                + "{\"endpoint\":\"https://graph.microsoft.com/v1.0/users/x/getMemberObjects\"}}}"), "JWT overage");
        assertTrue(RoleMapping.groupsOverage("{\"hasgroups\":true}"), "implicit-flow overage");
        assertTrue(RoleMapping.groupsOverage("{\"nameId\":\"x\",\"http://schemas.microsoft.com/claims/groups.link\":"
                + "[\"https://graph.windows.net/tenant/users/x/getMemberObjects\"]}"), "SAML overage");
        assertFalse(RoleMapping.groupsOverage("{\"hasgroups\":false}"));
        assertFalse(RoleMapping.groupsOverage("not json"));
        assertFalse(RoleMapping.groupsOverage(null));
    }

    static final String SAML = "{\"nameId\":\"ann@example.test\",\"email\":[\"ann@example.test\"],"
            + "\"groups\":[\"ml-team\",\"hub-admins\"]}";
    static final String OIDC = "{\"sub\":\"42\",\"groups\":\"ml-team\",\"resource_access\":{\"hub\":"
            + "{\"roles\":[\"writer\",\"reader\"]},\"other\":{\"roles\":[\"admin\"]}},\"level\":3,\"staff\":true}";

    static final Map<String, Role> TABLE = Map.of("hub-admins", Role.ADMIN, "ml-team", Role.CONTRIBUTOR,
            "writer", Role.WRITE, "reader", Role.READ, "3", Role.CONTRIBUTOR, "true", Role.WRITE);

    @Test
    void pathsWithAndWithoutDollarReadTheSameValue() {
        assertEquals(List.of("ml-team", "hub-admins"), RoleMapping.of("groups", TABLE).values(SAML));
        assertEquals(List.of("ml-team", "hub-admins"), RoleMapping.of("$.groups", TABLE).values(SAML));
        assertEquals(List.of("ml-team", "hub-admins"), RoleMapping.of("$['groups']", TABLE).values(SAML));
    }

    @Test
    void nestedPathsSingleValuesNumbersAndBooleans() {
        assertEquals(List.of("writer", "reader"), RoleMapping.of("resource_access.hub.roles", TABLE).values(OIDC));
        assertEquals(List.of("ml-team"), RoleMapping.of("groups", TABLE).values(OIDC), "a single value matches too");
        assertEquals(List.of("3"), RoleMapping.of("level", TABLE).values(OIDC));
        assertEquals(List.of("true"), RoleMapping.of("staff", TABLE).values(OIDC));
        assertEquals(List.of("ann@example.test"), RoleMapping.of("nameId", TABLE).values(SAML));
        assertEquals(List.of(), RoleMapping.of("resource_access", TABLE).values(OIDC), "an object is no value");
        assertEquals(List.of("writer", "reader", "admin"),
                RoleMapping.of("$..roles", TABLE).values(OIDC), "deep scans flatten");
    }

    @Test
    void mostPrivilegedMatchWinsAndNoMatchGivesTheDefault() {
        RoleMapping.Result admins = RoleMapping.of("groups", TABLE).evaluate(SAML, Role.READ);
        assertEquals(Role.ADMIN, admins.getRole(), "ml-team (contributor) and hub-admins (admin): admin");
        RoleMapping.Result hub = RoleMapping.of("resource_access.hub.roles", TABLE).evaluate(OIDC, Role.READ);
        assertEquals(Role.WRITE, hub.getRole(), "writer and reader: write");
        RoleMapping.Result none = RoleMapping.of("missing.path", TABLE).evaluate(OIDC, Role.CONTRIBUTOR);
        assertEquals(Role.CONTRIBUTOR, none.getRole());
        assertNull(none.getMatched());
        assertTrue(none.getValues().isEmpty());
        RoleMapping.Result unmapped = RoleMapping.of("sub", TABLE).evaluate(OIDC, Role.READ);
        assertEquals(List.of("42"), unmapped.getValues());
        assertEquals(Role.READ, unmapped.getRole());
        assertTrue(unmapped.isDefaulted());
        assertEquals(Role.READ, RoleMapping.of("groups", Map.of("HUB-ADMINS", Role.ADMIN)).evaluate(SAML, Role.READ)
                .getRole(), "values match exactly, case included");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$['open", "groups..", "$[?(@.x ==", "", "   ", "$.a['b"})
    void invalidPathsGetAClearMessage(String path) {
        ValidationException e = assertThrows(ValidationException.class, () -> RoleMapping.of(path, TABLE));
        assertEquals("rolePath", e.getField());
        assertTrue(e.getMessage().contains("JSON path"), e.getMessage());
    }

    @Test
    void savingNeedsAnAdminMapping() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> RoleMapping.validated("groups", Map.of("ml-team", Role.WRITE)));
        assertEquals("roleTable", e.getField());
        assertEquals(Role.ADMIN, RoleMapping.validated("groups", TABLE).evaluate(SAML, Role.READ).getRole());
    }

    @Test
    void tableIsReadFromLinesAndWrittenBack() {
        Map<String, Role> table = RoleMapping.parseTable("t", "hub-admins = admin\n\n  ml-team=Write \r\n"
                + "a=b = read\n");
        assertEquals(Map.of("hub-admins", Role.ADMIN, "ml-team", Role.WRITE, "a=b", Role.READ), table);
        assertEquals(table, RoleMapping.parseTable("t", RoleMapping.formatTable(table)));
        assertThrows(ValidationException.class, () -> RoleMapping.parseTable("t", "hub-admins = owner"));
        assertThrows(ValidationException.class, () -> RoleMapping.parseTable("t", "no role here"));
        assertThrows(ValidationException.class, () -> RoleMapping.parseTable("t", "x = read\nx = admin"));
    }

    @Test
    void aProfileThatIsNotJsonIsRefused() {
        assertThrows(ValidationException.class, () -> RoleMapping.of("groups", TABLE).values("not json"));
    }
}
