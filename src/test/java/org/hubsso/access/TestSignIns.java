package org.hubsso.access;

/**
 * Test-only, for in-server tests that act as several accounts within one request: puts a hub sign-in that is still
 * open back into the session, as the browser of that sign-in coming back would. Never part of the product WAR.
 */
public final class TestSignIns {

    private TestSignIns() {
    }

    public static void resume(ViewerSession session, Long accountId, String username, String signInId) {
        session.set(accountId, username, signInId);
    }
}
