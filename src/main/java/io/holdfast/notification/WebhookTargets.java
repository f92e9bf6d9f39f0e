package io.holdfast.notification;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Which URLs webhooks may be sent to. A webhook URL is chosen by whoever holds the admin token, and the server then
 * calls it from inside its own network: without a check it could be pointed at the database, a cloud metadata
 * service (169.254.169.254) or an admin port on localhost (server-side request forgery). So unless
 * {@code holdfast.webhooks.allow-private-targets} is true, a URL is refused when its host is, or resolves to, any
 * loopback, link-local, private (RFC 1918, IPv6 unique local), carrier-grade NAT, unspecified or multicast address.
 * The check runs when the webhook is created and again before every attempt (DNS may have changed since); redirects
 * are never followed, so a public host cannot bounce a delivery inward.
 */
@Component
class WebhookTargets {

    private static final String UNRESOLVED = " does not resolve";

    private final WebhookSettings settings;

    WebhookTargets(WebhookSettings settings) {
        this.settings = settings;
    }

    /** The URL, checked; refuses with a sentence saying what is wrong. */
    URI require(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException bad) {
            throw WebhookRefused.invalid("url: expected an absolute http or https URL, got '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw WebhookRefused.invalid("url: expected an absolute http or https URL, got '" + url + "'");
        }
        if (uri.getUserInfo() != null) {
            throw WebhookRefused.invalid("url: credentials in the URL are not accepted; the signature authenticates "
                    + "Holdfast to the receiver");
        }
        Optional<String> forbidden = forbiddenAddress(uri.getHost());
        if (forbidden.isPresent() && forbidden.get().endsWith(UNRESOLVED)) {
            throw WebhookRefused.invalid("url: " + forbidden.get());
        }
        forbidden.ifPresent(reason -> {
            throw WebhookRefused.invalid("url: " + reason + "; webhooks may not point into the server's own network "
                    + "(server-side request forgery) unless holdfast.webhooks.allow-private-targets=true");
        });
        return uri;
    }

    /** Why the host may not be called, or empty when it may (or when private targets are allowed). */
    Optional<String> forbiddenAddress(String host) {
        if (settings.allowPrivateTargets()) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException unknown) {
            return Optional.of("the host " + host + UNRESOLVED);
        }
        for (InetAddress address : addresses) {
            String kind = internalKind(address);
            if (kind != null) {
                String what = address.getHostAddress().equalsIgnoreCase(host.replace("[", "").replace("]", ""))
                        ? "is" : "resolves to " + address.getHostAddress() + ",";
                return Optional.of("the host " + host + " " + what + " a " + kind + " address");
            }
        }
        return Optional.empty();
    }

    /** The kind of internal address this is, or null for a public one. */
    static String internalKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "unspecified"; // 0.0.0.0/8: "this network"
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "private"; // 100.64.0.0/10, carrier-grade NAT (RFC 6598)
            }
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "private"; // fc00::/7, unique local (RFC 4193)
            }
            boolean mapped = true; // ::ffff:a.b.c.d, an IPv4 address in IPv6 clothing
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return internalKind(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException impossible) {
                    return "invalid";
                }
            }
        }
        return null;
    }
}
