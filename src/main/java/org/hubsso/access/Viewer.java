package org.hubsso.access;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import org.hubsso.hub.SignIns;

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

    @Inject
    SignIns signIns;

    public boolean isSignedIn() {
        return getAccountId() != null;
    }

    /** Checked once per request: this session's sign-in is still open in the database. */
    private Boolean open;

    /** The signed-in account's id, or {@code null}. */
    public Long getAccountId() {
        return isOpen() ? session.getAccountId() : null;
    }

    public String getUsername() {
        return isOpen() ? session.getUsername() : null;
    }

    /**
     * The id of this browser's hub sign-in ({@code hub_sign_in}), or {@code null}. What is proven in one sign-in, an
     * organization's SSO session above all, belongs to that sign-in and no other.
     */
    public String getSignInId() {
        return isOpen() ? session.getSignInId() : null;
    }

    /** Binds the account to the current HTTP session (the caller has already changed the session id). */
    public void signIn(Long accountId, String username) {
        session.set(accountId, username, signIns.open(accountId));
        open = true;
    }

    /** Ends the sign-in for every node: its database row is closed, then this session forgets it. */
    public void signOut() {
        if (hasSession()) {
            signIns.close(session.getSignInId());
            session.set(null, null, null);
        }
        open = false;
    }

    /**
     * A session says who is signed in; the database says whether that sign-in still stands (it may have been
     * signed out on another node, or be older than {@link SignIns#MAX_AGE}). A closed one is forgotten here too.
     */
    private boolean isOpen() {
        if (open == null) {
            if (!hasSession() || session.getAccountId() == null) {
                return false; // not cached: a sign-in later in this request is read afresh
            }
            open = signIns.isOpen(session.getSignInId(), session.getAccountId());
            if (!open) {
                session.set(null, null, null);
            }
        }
        return open;
    }

    private boolean hasSession() {
        return request.getSession(false) != null;
    }
}
