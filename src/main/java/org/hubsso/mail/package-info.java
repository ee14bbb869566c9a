/**
 * Outgoing mail. Features hand a {@link org.hubsso.mail.MailMessage} to {@link org.hubsso.mail.Mailer#enqueue}
 * inside their own transaction; the message waits in the {@code mail_queue} table and a sender delivers it after the
 * commit, to the SMTP server of {@code hub.mail.*} or, without {@code hub.mail.host}, into the outbox folder as an
 * {@code .eml} file with its links in the log. Pages never wait for a mail server. {@link org.hubsso.mail.MailAdmin}
 * lists what could not be delivered, for the site admin.
 *
 * <p>What may be used here: Jakarta Mail (the API only: each server provides the implementation, Eclipse Angus; see
 * {@code docs/mail.md}), JDBC on the hub's datasource, CDI, EJB timers, MicroProfile Config, and from
 * {@code org.hubsso.hub} the clock ({@link org.hubsso.hub.HubClock}). Nothing of {@code sso}, {@code access} or
 * {@code web}: those build on this package, never the other way round.
 *
 * <p>Bodies may carry secrets (single-use links): they are never logged (in outbox mode only their links are), and
 * they are blanked once a message is delivered. The SMTP password is never logged or shown.
 */
package org.hubsso.mail;
