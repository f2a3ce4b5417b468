package com.aiphoto.server.platform;

import com.aiphoto.core.config.Cidr;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * The client's address for limits and logs. {@code X-Forwarded-For} is believed only when the peer is a trusted
 * proxy, and then read right to left, skipping trusted hops, so a client cannot spoof it by sending its own.
 */
public final class ClientIp {
    private final List<Cidr> trusted;

    public ClientIp(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    public String of(ServerRequest req) {
        InetAddress peer = address(req.remotePeer().address());
        if (peer == null) {
            return "unknown";
        }
        if (!isTrusted(peer)) {
            return peer.getHostAddress();
        }
        List<String> forwarded = req.headers().values(HeaderNames.X_FORWARDED_FOR).stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        String client = peer.getHostAddress();
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            InetAddress hop = parse(forwarded.get(i));
            if (hop == null) {
                break; // garbage in the chain: stop at the last address we could verify
            }
            client = hop.getHostAddress();
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    /**
     * What per-address limits count {@code ip} (an {@link #of} result) under: an IPv4 address itself, an IPv6
     * address by its /64, since one host or subscriber usually gets a whole /64 to pick addresses from.
     */
    public static String limitKey(String ip) {
        InetAddress a = Cidr.literal(ip);
        if (!(a instanceof Inet6Address)) {
            return ip;
        }
        byte[] b = a.getAddress();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            key.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)))
                    .append(':');
        }
        return key.append(":/64").toString();
    }

    boolean isTrusted(InetAddress a) {
        return trusted.stream().anyMatch(c -> c.contains(a));
    }

    private static InetAddress address(SocketAddress sa) {
        return sa instanceof InetSocketAddress isa ? isa.getAddress() : null;
    }

    /** Literal addresses only: never resolve a name a client sent (a hex-looking one passed a looser check). */
    static InetAddress parse(String literal) {
        return Cidr.literal(literal);
    }
}
