package io.holdfast.web;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * The network a client address stands for when limits are counted per client. An IPv4 address is one client; an
 * IPv6 client gets a whole /64 (RFC 6177: a site's smallest subnet, and privacy addresses rotate inside it), so
 * counting per IPv6 address would give one client some 2^64 budgets. IPv4-mapped IPv6 addresses count as IPv4.
 */
public final class ClientNetwork {

    private static final int IPV6_PREFIX_BYTES = 8;

    private ClientNetwork() {
    }

    /**
     * The address itself for IPv4 ({@code "198.51.100.7"}), the first 64 bits in hex for IPv6
     * ({@code "20010db800010002::/64"} for any address of 2001:db8:1:2::/64); a text that is not an address literal
     * stands for itself.
     */
    public static String of(String address) {
        if (address == null || address.isEmpty()) {
            return "";
        }
        InetAddress parsed = literal(address);
        if (parsed instanceof Inet4Address) {
            return parsed.getHostAddress();
        }
        if (parsed instanceof Inet6Address) {
            byte[] bytes = parsed.getAddress();
            return HexFormat.of().formatHex(bytes, 0, IPV6_PREFIX_BYTES) + "::/64";
        }
        return address;
    }

    /**
     * An IPv6 literal parsed without a name lookup, or null. {@link InetAddress#getByName} parses (never resolves) a
     * text that starts with a hex digit or a colon and contains a colon; other characters are refused before it.
     */
    private static InetAddress literal(String address) {
        if (address.indexOf(':') < 0) {
            return ipv4(address);
        }
        char first = address.charAt(0);
        if (!hex(first) && first != ':') {
            return null;
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (!hex(c) && c != ':' && c != '.') {
                return null;
            }
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }

    /** Dotted-quad IPv4 only (four decimal parts of 0-255), so that no text reaches a name lookup. */
    private static InetAddress ipv4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            return null;
        }
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
