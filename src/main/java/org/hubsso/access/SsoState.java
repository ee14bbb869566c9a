package org.hubsso.access;

/** Whether the viewer holds an organization SSO session right now. */
public enum SsoState {
    VALID, EXPIRED, ABSENT
}
