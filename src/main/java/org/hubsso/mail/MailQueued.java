package org.hubsso.mail;

/** Fired when a message was queued; observed after the commit, to deliver it at once. */
record MailQueued(long id) {
}
