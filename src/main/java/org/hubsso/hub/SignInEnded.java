package org.hubsso.hub;

/**
 * A hub sign-in was ended (signed out). Fired inside the transaction that closes its row, so whatever was proven in
 * that sign-in (an organization's SSO session) ends with it, on every node.
 */
public record SignInEnded(String signInId) {
}
