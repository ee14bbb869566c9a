package org.hubsso.mail;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * The sender's safety net on every node: every five seconds it starts a round for what came due (retries, mail queued
 * by a node that died before its round, mail queued while this node was down); hourly it forgets old delivered rows.
 * It only kicks the dispatcher, which runs the round on the executor, so a slow mail server never holds a timer.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MailTimer {

    @Inject
    MailDispatcher dispatcher;

    @Schedule(hour = "*", minute = "*", second = "*/5", persistent = false)
    public void deliverDue() {
        dispatcher.kick();
    }

    @Schedule(hour = "*", minute = "23", persistent = false)
    public void purgeSent() {
        dispatcher.purgeSent();
    }
}
