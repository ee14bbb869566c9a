package org.hubsso.access;

import jakarta.enterprise.context.SessionScoped;
import java.io.Serializable;

/**
 * The signed-in account of one HTTP session. Holds three small values only, so the session stays cheap to
 * replicate across cluster nodes. Read it through {@link Viewer}, which never creates a session.
 */
@SessionScoped
public class ViewerSession implements Serializable {

    private static final long serialVersionUID = 1L;

    private Long accountId;
    private String username;
    /** The database row of this sign-in ({@link org.hubsso.hub.SignIns}); closed at sign-out on any node. */
    private String signInId;

    Long getAccountId() {
        return accountId;
    }

    String getUsername() {
        return username;
    }

    String getSignInId() {
        return signInId;
    }

    void set(Long accountId, String username, String signInId) {
        this.accountId = accountId;
        this.username = username;
        this.signInId = signInId;
    }
}
