package com.aiphoto.opsctl.cert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * The ACME side of {@code cert init} and {@code cert renew}, on acme4j: the account (key in ACME_STATE_DIR),
 * renewal information (RFC 9773), and orders validated by HTTP-01 through the webroot nginx serves.
 */
final class AcmeClient {
    static final String LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
    private static final Duration ORDER_TIMEOUT = Duration.ofSeconds(90);

    private final Session session;
    private final KeyPair accountKey;
    private final Optional<String> email;
    private final Path webroot;
    private Login login;

    AcmeClient(String directoryUrl, Chains trust, KeyPair accountKey, Optional<String> email, Path webroot) {
        this.session = new Session(URI.create(directoryUrl), new TrustingProvider(sslContext(trust.anchors())));
        this.session.networkSettings().setTimeout(Duration.ofSeconds(20));
        this.accountKey = accountKey;
        this.email = email;
        this.webroot = webroot;
    }

    /** The session (tests revoke through it to move pebble's ARI window into the past). */
    Session session() {
        return session;
    }

    /** The server's renewal-info endpoint is in its directory: without it the CA offers no ARI. */
    boolean offersRenewalInfo() throws AcmeException {
        return session.resourceUrlOptional(org.shredzone.acme4j.connector.Resource.RENEWAL_INFO)
                .isPresent();
    }

    record Window(Instant start, Instant end, Optional<Instant> retryAfter) {}

    /** The CA's suggested renewal window for {@code cert}, and when to ask again (Retry-After). */
    Window renewalInfo(X509Certificate cert) throws AcmeException {
        RenewalInfo info = checkOnly().bindRenewalInfo(cert);
        Optional<Instant> retryAfter = info.fetch();
        return new Window(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(), retryAfter);
    }

    /** {@code note}: why the order did not carry 'replaces' although asked to, else null. */
    record Issued(List<X509Certificate> chain, KeyPair key, String note) {}

    /**
     * Orders a certificate for {@code domains}, marking it as the replacement of {@code replaces} when given and
     * the CA offers ARI (acme4j refuses 'replaces' towards a CA without it, and without ARI it means nothing);
     * if the CA refuses it (it already has a replacement, or does not know it), orders again without.
     */
    Issued issue(List<String> domains, KeyType keyType, Optional<X509Certificate> replaces)
            throws AcmeException, IOException, InterruptedException {
        Order order;
        String note = null;
        if (replaces.isPresent() && offersRenewalInfo()) {
            try {
                order = login().newOrder()
                        .domains(domains)
                        .replaces(replaces.get())
                        .create();
            } catch (AcmeServerException e) {
                if (!refusesReplaces(e)) {
                    throw e;
                }
                order = login().newOrder().domains(domains).create();
                note = "CA refused 'replaces'; ordered without";
            }
        } else {
            order = login().newOrder().domains(domains).create();
        }
        for (Authorization auth : order.getAuthorizations()) {
            if (auth.getStatus() != Status.VALID) {
                authorize(auth);
            }
        }
        order.waitUntilReady(ORDER_TIMEOUT);
        KeyPair key = keyType.generate();
        order.execute(key);
        Status s = order.waitForCompletion(ORDER_TIMEOUT);
        if (s != Status.VALID) {
            throw new CertException("order " + s.name().toLowerCase(Locale.ROOT)
                    + order.getError().map(p -> ": " + p).orElse(""));
        }
        return new Issued(order.getCertificate().getCertificateChain(), key, note);
    }

    /**
     * Whether to order again without 'replaces' after the CA refused the order that carried it: RFC 9773 names
     * alreadyReplaced, Boulder and pebble answer conflict or malformed, and pebble 2.6 even serverInternal when
     * it cannot look up the replaced serial (it fails on serials with a leading zero byte). Only a rate limit
     * is not retried: the second order would count against it too.
     */
    private static boolean refusesReplaces(AcmeServerException e) {
        return !String.valueOf(e.getType()).endsWith(":rateLimited");
    }

    private void authorize(Authorization auth) throws AcmeException, IOException, InterruptedException {
        Http01Challenge challenge = auth.findChallenge(Http01Challenge.class)
                .orElseThrow(() -> new CertException("the CA offers no HTTP-01 challenge for "
                        + auth.getIdentifier().getDomain()));
        Path dir = webroot.resolve(".well-known/acme-challenge");
        Files.createDirectories(dir);
        Path token = dir.resolve(challenge.getToken());
        Files.writeString(token, challenge.getAuthorization(), StandardCharsets.US_ASCII);
        try {
            challenge.trigger();
            Status s = auth.waitForCompletion(ORDER_TIMEOUT);
            if (s != Status.VALID) {
                throw new CertException(
                        "HTTP-01 validation of " + auth.getIdentifier().getDomain() + " failed"
                                + challenge.getError().map(p -> ": " + p).orElse(""));
            }
        } finally {
            Files.deleteIfExists(token);
        }
    }

    /**
     * A Login for the renewal-info check alone. RFC 9773 renewal info is a plain unauthenticated GET; acme4j
     * binds it to a Login only to reach the session, so this one never signs anything and the account location
     * it names is a stand-in. The timer's check thus costs no newNonce and newAccount round trips.
     */
    private Login checkOnly() {
        if (login != null) {
            return login;
        }
        try {
            return session.login(session.getServerUri().toURL(), accountKey);
        } catch (java.net.MalformedURLException e) {
            throw new CertException("ACME_DIRECTORY_URL is not a URL: " + session.getServerUri(), e);
        }
    }

    private Login login() throws AcmeException {
        if (login == null) {
            AccountBuilder b = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
            email.ifPresent(b::addEmail);
            login = b.createLogin(session);
        }
        return login;
    }

    private static SSLContext sslContext(List<X509Certificate> anchors) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                ks.setCertificateEntry("ca" + i, anchors.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the ACME trust store", e);
        }
    }

    /** acme4j's generic provider, with our trust (the JDK's roots plus ACME_TRUST_STORE) on its HTTP client. */
    private static final class TrustingProvider extends GenericAcmeProvider {
        private final SSLContext ssl;

        TrustingProvider(SSLContext ssl) {
            this.ssl = ssl;
        }

        @Override
        protected HttpConnector createHttpConnector(NetworkSettings settings) {
            return new HttpConnector(settings) {
                @Override
                public HttpClient.Builder createClientBuilder() {
                    return super.createClientBuilder().sslContext(ssl);
                }
            };
        }
    }
}
