package com.aiphoto.server.platform;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import com.aiphoto.core.config.Cidr;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

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
                .flatMap(v -> List.of(v.split(",")).stream()).map(String::strip).filter(s -> !s.isEmpty()).toList();
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
