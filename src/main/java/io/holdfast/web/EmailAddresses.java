package io.holdfast.web;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The addresses Holdfast accepts: {@code local@domain.tld} in ASCII, a dot-atom local part of at most 64 characters
 * (no quotes, spaces, commas, semicolons or control characters, so nothing can break out of a mail header or a
 * calendar file), host names of letters, digits and inner hyphens, a letter-only top-level domain, and 254
 * characters in all (RFC 5321's path limit).
 */
public final class EmailAddresses {

    public static final int MAX_LENGTH = 254;

    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    public static final String PATTERN = "(?=[^@]{1,64}@)" + ATOM + "(?:\\." + ATOM + ")*@(?:" + LABEL + "\\.)+[A-Za-z]{2,63}";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private EmailAddresses() {
    }

    public static boolean isValid(String address) {
        return address != null && address.length() <= MAX_LENGTH && COMPILED.matcher(address).matches();
    }

    /** The form in which addresses are compared and kept for identity: trimmed and in lower case. */
    public static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    /** Whether two addresses name the same mailbox as far as Holdfast is concerned. */
    public static boolean same(String a, String b) {
        return a != null && b != null && normalize(a).equals(normalize(b));
    }
}
