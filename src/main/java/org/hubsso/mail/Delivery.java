package org.hubsso.mail;

/** Where a claimed message goes: the SMTP server ({@link SmtpDelivery}) or the outbox folder ({@link OutboxDelivery}). */
interface Delivery {

    /**
     * Delivers the message, within bounded time.
     *
     * @throws DeliveryFailure when it was not delivered; the queue keeps it and records why
     */
    void deliver(QueuedMail mail) throws DeliveryFailure;
}
