package org.hubsso.access;

/** Whether the viewer holds an organization SSO session right now. */
public enum SsoState {
    VALID, EXPIRED, ABSENT,
    /** No valid SSO session, but an admin's recovery session: the organization's settings only, never its content. */
    RECOVERY
}
