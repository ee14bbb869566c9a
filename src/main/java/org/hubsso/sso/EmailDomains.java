package org.hubsso.sso;

import java.net.IDN;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.hubsso.hub.Names;
import org.hubsso.hub.ValidationException;

/**
 * An organization's matching email domains: when it lists any, only IdP emails in one of them pass its SSO or join
 * through it. A domain matches exactly (a subdomain is listed on its own), ASCII letters compared case-insensitively,
 * like the addresses themselves ({@link Names#emailKey}).
 */
public final class EmailDomains {

    public static final int MAX_DOMAINS = 50;
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private final List<String> domains;

    private EmailDomains(List<String> domains) {
        this.domains = Collections.unmodifiableList(domains);
    }

    public static EmailDomains none() {
        return new EmailDomains(List.of());
    }

    /** Domains as stored (one per line, already checked). */
    public static EmailDomains stored(String text) {
        List<String> list = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    list.add(line.strip());
                }
            }
        }
        return new EmailDomains(list);
    }

    /** Domains an admin typed: one per line (or separated by commas or spaces); a leading "@" is dropped. */
    public static EmailDomains parse(String field, String text) {
        List<String> list = new ArrayList<>();
        if (text != null) {
            for (String word : text.split("[\\s,;]+")) {
                String w = word.strip();
                if (w.startsWith("@")) {
                    w = w.substring(1);
                }
                if (w.isEmpty()) {
                    continue;
                }
                String key = Names.emailKey(w);
                if (key.length() > 253 || !DOMAIN.matcher(key).matches()) {
                    throw new ValidationException(field, quote(w) + " is not a domain name like example.com.");
                }
                try {
                    IDN.toASCII(key, IDN.USE_STD3_ASCII_RULES);
                } catch (IllegalArgumentException e) {
                    throw new ValidationException(field, quote(w) + " is not a domain name like example.com.");
                }
                if (!list.contains(key)) {
                    list.add(key);
                }
                if (list.size() > MAX_DOMAINS) {
                    throw new ValidationException(field, "List at most " + MAX_DOMAINS + " domains.");
                }
            }
        }
        return new EmailDomains(list);
    }

    public boolean isEmpty() {
        return domains.isEmpty();
    }

    public List<String> list() {
        return domains;
    }

    /** Whether {@code email} may pass: no domains listed, or its domain is one of them. */
    public boolean allows(String email) {
        if (domains.isEmpty()) {
            return true;
        }
        if (email == null) {
            return false;
        }
        int at = email.lastIndexOf('@');
        return at > 0 && domains.contains(Names.emailKey(email.substring(at + 1)));
    }

    /** As stored: one per line, or {@code null} for none. */
    public String text() {
        return domains.isEmpty() ? null : String.join("\n", domains);
    }

    @Override
    public String toString() {
        return domains.isEmpty() ? "(any)" : String.join(", ", domains);
    }

    private static String quote(String w) {
        String shown = w.length() > 60 ? w.substring(0, 60) + "…" : w;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?").toLowerCase(Locale.ROOT) + "\"";
    }
}
