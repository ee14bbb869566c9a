package org.hubsso.access;

/** Thrown by the access interceptor when the policy says anything but ALLOW. Carries no internal detail. */
public class AccessDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Decision decision;
    private final String orgName;

    public AccessDeniedException(Decision decision, String orgName) {
        super(decision.name(), null, false, false);
        if (decision == Decision.ALLOW) {
            throw new IllegalArgumentException("ALLOW is not a denial");
        }
        this.decision = decision;
        this.orgName = orgName;
    }

    public Decision getDecision() {
        return decision;
    }

    /** The organization name as asked for in the request (only shown back for SSO_REQUIRED and FORBIDDEN). */
    public String getOrgName() {
        return orgName;
    }
}
