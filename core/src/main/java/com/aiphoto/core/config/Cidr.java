package com.aiphoto.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** An address block such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        InetAddress address = literal(addr);
        if (address == null) {
            throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
        }
        byte[] bytes = address.getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
        }
        return new Cidr(bytes, prefix);
    }

    /**
     * The address an IPv4 dotted quad or IPv6 literal denotes, else null; never a DNS lookup. (InetAddress alone
     * would also take "1", "127.1" or a hex-looking host name such as "cafe" or "deadbeef.cafe.de", doing DNS.)
     */
    public static InetAddress literal(String addr) {
        // with a colon InetAddress parses an IPv6 literal and never resolves; without one, only a dotted quad
        if (!(addr.contains(":") ? addr.matches("[0-9a-fA-F:.]+") : isDottedQuad(addr))) {
            return null;
        }
        try {
            return InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isDottedQuad(String addr) {
        if (!addr.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String part : addr.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** A comma-separated list, as in {@code TRUSTED_PROXIES}. */
    public static List<Cidr> parseList(String text) {
        List<Cidr> list = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                list.add(parse(part));
            }
        }
        return List.copyOf(list);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }
}
