package org.hubsso.access;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Who is looking in this request: the signed-in account, or nobody. Anonymous requests never get an HTTP
 * session just for being asked.
 */
@Named
@RequestScoped
public class Viewer {

    @Inject
    HttpServletRequest request;

    @Inject
    ViewerSession session;

    public boolean isSignedIn() {
        return getAccountId() != null;
    }

    /** The signed-in account's id, or {@code null}. */
    public Long getAccountId() {
        return hasSession() ? session.getAccountId() : null;
    }

    public String getUsername() {
        return hasSession() ? session.getUsername() : null;
    }

    /** Binds the account to the current HTTP session (the caller has already changed the session id). */
    public void signIn(Long accountId, String username) {
        session.set(accountId, username);
    }

    public void signOut() {
        if (hasSession()) {
            session.set(null, null);
        }
    }

    private boolean hasSession() {
        return request.getSession(false) != null;
    }
}
