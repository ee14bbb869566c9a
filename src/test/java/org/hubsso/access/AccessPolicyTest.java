package org.hubsso.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hubsso.hub.Role;
import org.hubsso.hub.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The access policy as a full decision table: visibility x membership x role x SSO enforced x SSO session
 * state x needed role (2 x 5 x 2 x 4 x 4 = 320 rows), each row checked against the rule written out in words; and
 * the scope of a guarded call, where an admin's recovery session counts for the settings and nothing else.
 */
class AccessPolicyTest {

    /** A handful of rows spelled out, as a reader would check them by hand. */
    @ParameterizedTest(name = "{0} content, member role {1}, sso {2}/{3}, needs {4} -> {5}")
    @CsvSource(nullValues = "none", value = {
        // visibility, member role, SSO enforced, SSO session, needed, decision
        "PUBLIC,  none,        false, ABSENT,  READ,        ALLOW",
        "PUBLIC,  none,        true,  ABSENT,  READ,        ALLOW",
        "PUBLIC,  none,        false, ABSENT,  WRITE,       FORBIDDEN",
        "PRIVATE, none,        false, ABSENT,  READ,        NOT_FOUND",
        "PRIVATE, none,        true,  VALID,   ADMIN,       NOT_FOUND",
        "PRIVATE, READ,        false, ABSENT,  READ,        ALLOW",
        "PRIVATE, READ,        false, ABSENT,  CONTRIBUTOR, FORBIDDEN",
        "PUBLIC,  CONTRIBUTOR, false, ABSENT,  CONTRIBUTOR, ALLOW",
        "PUBLIC,  CONTRIBUTOR, false, ABSENT,  WRITE,       FORBIDDEN",
        "PUBLIC,  WRITE,       false, ABSENT,  WRITE,       ALLOW",
        "PRIVATE, WRITE,       false, ABSENT,  ADMIN,       FORBIDDEN",
        "PRIVATE, ADMIN,       false, ABSENT,  ADMIN,       ALLOW",
        "PUBLIC,  READ,        true,  ABSENT,  READ,        SSO_REQUIRED",
        "PUBLIC,  ADMIN,       true,  EXPIRED, READ,        SSO_REQUIRED",
        "PRIVATE, ADMIN,       true,  EXPIRED, ADMIN,       SSO_REQUIRED",
        "PRIVATE, READ,        true,  VALID,   READ,        ALLOW",
        "PRIVATE, READ,        true,  VALID,   WRITE,       FORBIDDEN",
        "PUBLIC,  ADMIN,       true,  VALID,   ADMIN,       ALLOW",
        "PUBLIC,  READ,        false, EXPIRED, READ,        ALLOW",
    })
    void spelledOutRows(Visibility visibility, Role role, boolean enforced, SsoState sso, Role needed,
            Decision expected) {
        assertEquals(expected, AccessPolicy.decide(visibility, role, enforced, sso, needed));
    }

    static Stream<Arguments> everyCombination() {
        List<Arguments> rows = new ArrayList<>();
        List<Role> roles = new ArrayList<>();
        roles.add(null);
        roles.addAll(List.of(Role.values()));
        for (Visibility visibility : Visibility.values()) {
            for (Role role : roles) {
                for (boolean enforced : new boolean[] {false, true}) {
                    for (SsoState sso : SsoState.values()) {
                        for (Role needed : Role.values()) {
                            rows.add(Arguments.of(visibility, role, enforced, sso, needed));
                        }
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} content, member role {1}, sso {2}/{3}, needs {4}")
    @MethodSource("everyCombination")
    void everyRowFollowsTheWrittenRules(Visibility visibility, Role role, boolean enforced, SsoState sso,
            Role needed) {
        Decision actual = AccessPolicy.decide(visibility, role, enforced, sso, needed);
        if (role == null) {
            // Outsiders: private things do not exist for them; public things are read-only; SSO never applies.
            if (visibility == Visibility.PRIVATE) {
                assertEquals(Decision.NOT_FOUND, actual);
            } else if (needed == Role.READ) {
                assertEquals(Decision.ALLOW, actual);
            } else {
                assertEquals(Decision.FORBIDDEN, actual);
            }
        } else if (enforced && sso != SsoState.VALID) {
            // Members of an SSO organization pass its IdP first, whatever they ask for, public content included.
            assertEquals(Decision.SSO_REQUIRED, actual);
        } else {
            // Then the role decides: read < contributor < write < admin.
            boolean enough = role.ordinal() >= needed.ordinal();
            assertEquals(enough ? Decision.ALLOW : Decision.FORBIDDEN, actual);
        }
    }

    @Test
    void scopesMapToVisibility() {
        assertEquals(Visibility.PUBLIC, AccessPolicy.visibilityOf(Scope.ORG, null));
        assertEquals(Visibility.PRIVATE, AccessPolicy.visibilityOf(Scope.MEMBERS, Visibility.PUBLIC));
        assertEquals(Visibility.PRIVATE, AccessPolicy.visibilityOf(Scope.REPO, Visibility.PRIVATE));
        assertEquals(Visibility.PUBLIC, AccessPolicy.visibilityOf(Scope.REPO, Visibility.PUBLIC));
    }

    @Test
    void missingInputsAreRejectedNotGuessed() {
        assertThrows(IllegalArgumentException.class,
                () -> AccessPolicy.decide(null, Role.ADMIN, false, SsoState.VALID, Role.READ));
        assertThrows(IllegalArgumentException.class,
                () -> AccessPolicy.decide(Visibility.PUBLIC, Role.ADMIN, false, SsoState.VALID, null));
    }

    @Test
    void decisionsCarryTheirHttpStatus() {
        assertEquals(404, Decision.NOT_FOUND.httpStatus());
        assertEquals(403, Decision.FORBIDDEN.httpStatus());
        assertEquals(403, Decision.SSO_REQUIRED.httpStatus());
        assertEquals("sso-required", Decision.SSO_REQUIRED.code());
    }

    /** A recovery session opens the settings to an admin, and nothing else. */
    @ParameterizedTest(name = "{0} {1}, member role {2}, sso {3}/{4}, needs {5} -> {6}")
    @CsvSource(nullValues = "none", value = {
        // scope, visibility, member role, SSO enforced, SSO session, needed, decision
        "MEMBERS, PRIVATE, ADMIN, true,  RECOVERY, ADMIN, ALLOW",
        "MEMBERS, PRIVATE, ADMIN, true,  RECOVERY, READ,  SSO_REQUIRED",
        "ORG,     PUBLIC,  ADMIN, true,  RECOVERY, READ,  SSO_REQUIRED",
        "REPO,    PRIVATE, ADMIN, true,  RECOVERY, READ,  SSO_REQUIRED",
        "REPO,    PUBLIC,  ADMIN, true,  RECOVERY, READ,  SSO_REQUIRED",
        "MEMBERS, PRIVATE, WRITE, true,  RECOVERY, ADMIN, FORBIDDEN",
        "MEMBERS, PRIVATE, none,  true,  RECOVERY, ADMIN, NOT_FOUND",
        "MEMBERS, PRIVATE, ADMIN, true,  ABSENT,   ADMIN, SSO_REQUIRED",
        "MEMBERS, PRIVATE, ADMIN, false, RECOVERY, ADMIN, ALLOW",
    })
    void aRecoverySessionOpensTheSettingsOnly(Scope scope, Visibility visibility, Role role, boolean enforced,
            SsoState sso, Role needed, Decision expected) {
        assertEquals(expected, AccessPolicy.decide(scope, visibility, role, enforced, sso, needed));
    }

    static Stream<Arguments> everyScopedCombination() {
        List<Arguments> rows = new ArrayList<>();
        everyCombination().forEach(row -> {
            for (Scope scope : Scope.values()) {
                Object[] a = row.get();
                rows.add(Arguments.of(scope, a[0], a[1], a[2], a[3], a[4]));
            }
        });
        return rows.stream();
    }

    /** For every scope, the decision is the content decision, with a recovery session valid for settings only. */
    @ParameterizedTest(name = "{0} {1}, member role {2}, sso {3}/{4}, needs {5}")
    @MethodSource("everyScopedCombination")
    void everyScopedRowIsTheContentRuleWithRecoveryForSettings(Scope scope, Visibility visibility, Role role,
            boolean enforced, SsoState sso, Role needed) {
        boolean settings = scope == Scope.MEMBERS && needed == Role.ADMIN;
        SsoState counted = sso == SsoState.RECOVERY && settings ? SsoState.VALID : sso;
        assertEquals(AccessPolicy.decide(visibility, role, enforced, counted, needed),
                AccessPolicy.decide(scope, visibility, role, enforced, sso, needed));
        if (sso == SsoState.RECOVERY && enforced && role != null && !settings) {
            assertEquals(Decision.SSO_REQUIRED, AccessPolicy.decide(scope, visibility, role, enforced, sso, needed),
                    "a recovery session never opens content");
        }
    }
}
