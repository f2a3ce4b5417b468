package com.aiphoto.opsctl.cert;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What nginx really serves: a TLS handshake to {@code host:port} with SNI, returning the chain as sent. Trust
 * is decided by the caller ({@link Chains}), so the handshake accepts any chain and only records it.
 */
final class Served {
    private Served() {}

    /** {@code host:port}, e.g. {@code 127.0.0.1:443}. */
    record Endpoint(String host, int port) {
        static Endpoint parse(String s) {
            int colon = s.lastIndexOf(':');
            try {
                return colon < 0
                        ? new Endpoint(s, 443)
                        : new Endpoint(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not host:port: " + s);
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    static List<X509Certificate> chain(Endpoint at, String sni, Duration timeout) throws IOException {
        Recorder recorder = new Recorder();
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {recorder}, null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress(at.host(), at.port()), (int) timeout.toMillis());
                s.setSoTimeout((int) timeout.toMillis());
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(sni)));
                s.setSSLParameters(p);
                s.startHandshake();
                return Arrays.stream(s.getSession().getPeerCertificates())
                        .map(X509Certificate.class::cast)
                        .toList();
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS setup failed: " + e.getMessage(), e);
        }
    }

    /** Accepts every server chain: {@link Chains} judges it afterwards, with a message that says why. */
    private static final class Recorder implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        @SuppressWarnings("TrustAllCertificates") // deliberately: the chain is verified by Chains, not here
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
