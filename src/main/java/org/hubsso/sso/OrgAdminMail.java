package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hubsso.hub.AccountEmail;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.Membership;
import org.hubsso.hub.Memberships;
import org.hubsso.hub.Organization;
import org.hubsso.mail.Mailer;

/**
 * Mail to every admin of an organization (to the primary email, when it is verified), in the caller's transaction:
 * what the admins must know even when they are not looking at the settings (a recovery code used, the operator's
 * override, a certificate about to expire).
 */
@ApplicationScoped
public class OrgAdminMail {

    @Inject
    Memberships memberships;

    @Inject
    AccountService accounts;

    @Inject
    Mailer mailer;

    /** @return how many admins the message was queued for */
    public int send(Organization org, String subject, String text) {
        int sent = 0;
        for (Membership m : memberships.adminsOf(org)) {
            for (AccountEmail email : accounts.emails(m.getAccount().getId())) {
                if (email.isPrimary() && email.isVerified()) {
                    mailer.enqueue(email.getAddress(), subject, "Hello " + m.getAccount().getDisplayName() + ",\n\n"
                            + text + "\n\nYou get this message as an admin of " + org.getName() + ".\n");
                    sent++;
                }
            }
        }
        return sent;
    }
}
