/**
 * What a person does with their own account beyond signing in: proving their email addresses by mail (verification
 * links), getting back in with a forgotten password (reset links), changing the password, and reading their own
 * security log. Links are single-use tokens of which only a hash is stored ({@link org.hubsso.account.EmailTokens});
 * requests that can be abused are throttled cluster-wide ({@link org.hubsso.hub.Throttle}).
 *
 * <p>Uses {@code org.hubsso.hub} (accounts, emails, sign-ins, the clock) and {@code org.hubsso.mail} (sending);
 * nothing of {@code access}, {@code sso} or {@code web}. Pages call it from {@code web}.
 */
package org.hubsso.account;
