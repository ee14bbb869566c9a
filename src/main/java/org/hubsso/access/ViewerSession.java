package org.hubsso.access;

import jakarta.enterprise.context.SessionScoped;
import java.io.Serializable;

/**
 * The signed-in account of one HTTP session. Holds two small values only, so the session stays cheap to
 * replicate across cluster nodes. Read it through {@link Viewer}, which never creates a session.
 */
@SessionScoped
public class ViewerSession implements Serializable {

    private static final long serialVersionUID = 1L;

    private Long accountId;
    private String username;

    Long getAccountId() {
        return accountId;
    }

    String getUsername() {
        return username;
    }

    void set(Long accountId, String username) {
        this.accountId = accountId;
        this.username = username;
    }
}
