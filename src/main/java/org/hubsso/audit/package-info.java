/**
 * The organizations' audit trail: {@link org.hubsso.audit.Audit} records what happened
 * ({@link org.hubsso.audit.AuditEvent}, an outcome, a reason code, details cut to size before they become JSON);
 * {@link org.hubsso.audit.AuditLog} lists it page by page (keyset by time and id) and exports it in batches for the
 * organization's admins, {@link org.hubsso.audit.AuditExport} writes CSV and JSON row by row, and
 * {@link org.hubsso.audit.ExportSlots} bounds the exports one node writes at once.
 *
 * <p>Uses {@code org.hubsso.hub} and {@code org.hubsso.access} (the log is guarded). Recorded by {@code orgs} and
 * {@code sso}; never uses them.
 */
package org.hubsso.audit;
