/**
 * The organizations' audit trail: {@link org.hubsso.audit.Audit} records what happened
 * ({@link org.hubsso.audit.AuditEvent}, an outcome, a reason code, details cut to size before they become JSON);
 * {@link org.hubsso.audit.AuditLog} lists and exports it for the organization's admins.
 *
 * <p>Uses {@code org.hubsso.hub} and {@code org.hubsso.access} (the log is guarded). Recorded by {@code orgs} and
 * {@code sso}; never uses them.
 */
package org.hubsso.audit;
