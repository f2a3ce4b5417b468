package com.aiphoto.server.admin;

import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.credentials.CredentialException;
import com.aiphoto.core.credentials.ProviderCredentialStore;
import com.aiphoto.core.crypto.CredentialCipher;
import com.aiphoto.core.db.DataAccessException;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.kv.WakeupSignal;
import com.aiphoto.server.tasks.runninghub.RunningHubClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider credentials for the clients that call third parties, and their admin side. A client asks on every call
 * ({@link #runningHub}); the decrypted row is cached per provider for {@code PROVIDER_CREDENTIALS_CACHE_TTL}. A
 * write clears this instance's cache and signals the others ({@link WakeupSignal}: Redis pub/sub when configured),
 * so a change takes effect without a restart; the TTL bounds how long a lost signal can leave an instance on the
 * old value. Without a row a client uses the environment's settings.
 */
public final class ProviderCredentials implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCredentials.class);
    static final String TOPIC = "provider-credentials";
    static final int MAX_SECRET = 16_384;
    static final int MAX_URL = 512;

    /** The providers whose credentials can be stored, with the settings they replace. */
    public enum Provider {
        RUNNINGHUB("RUNNINGHUB_BASE_URL", "RUNNINGHUB_API_KEY"),
        /** Its credentials are a JSON object (merchant id, serials, private key, APIv3 key): see deploy/README.md. */
        WECHATPAY("WECHAT_PAY_BASE_URL", "WECHAT_API_KEY"),
        HUNYUAN(null, "HUNYUAN_API_KEY");

        private final String urlKey;
        private final String secretKey;

        Provider(String urlKey, String secretKey) {
            this.urlKey = urlKey;
            this.secretKey = secretKey;
        }

        public String ref() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Provider> of(String ref) {
            return Arrays.stream(values()).filter(p -> p.ref().equals(ref)).findFirst();
        }
    }

    /** What {@code GET /api/admin/providers} shows of one provider: never the credentials, only their last 4. */
    record View(
            String ref,
            String source,
            String endpointUrl,
            String credentials,
            Integer keyVersion,
            Instant updatedAt,
            String error) {}

    /** A cached read: the row (or none), or why it cannot be read. */
    private record Cached(Optional<ProviderCredentialStore.Plain> value, CredentialException failure, long at) {}

    private final Jdbc jdbc;
    private final ProviderCredentialStore store;
    private final Optional<CredentialCipher> cipher;
    private final Settings settings;
    private final AuditLog audit;
    private final WakeupSignal signal;
    private final WakeupSignal.Subscription subscription;
    private final long ttlNanos;
    private final LongSupplier nanos;
    private final Map<Provider, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped by every invalidation: a read that started before one must not cache what it read. */
    private final AtomicLong generation = new AtomicLong();

    ProviderCredentials(
            Jdbc jdbc,
            ProviderCredentialStore store,
            Optional<CredentialCipher> cipher,
            Settings settings,
            AuditLog audit,
            WakeupSignal signal,
            Duration ttl,
            LongSupplier nanos) {
        this.jdbc = jdbc;
        this.store = store;
        this.cipher = cipher;
        this.settings = settings;
        this.audit = audit;
        this.signal = signal;
        this.ttlNanos = ttl.toNanos();
        this.nanos = nanos;
        this.subscription = signal.subscribe(TOPIC, this::clear);
    }

    /**
     * RunningHub's configuration for {@link RunningHubClient}, read on every call: the stored row's API key (and
     * endpoint, when it has one) when there is a row, else {@code RUNNINGHUB_API_KEY} / {@code RUNNINGHUB_BASE_URL}.
     * The API key is null when neither is set. A stored row that does not decrypt throws {@link CredentialException}
     * (the call fails with the reason; the environment's key is not silently used instead).
     */
    public Supplier<RunningHubClient.Config> runningHub(Settings s) {
        return runningHub(new RunningHubClient.Config(
                URI.create(s.get("RUNNINGHUB_BASE_URL")),
                s.find("RUNNINGHUB_API_KEY").orElse(null),
                s.find("RUNNINGHUB_WEBAPP_ID").orElse(null)));
    }

    /** Like {@link #runningHub(Settings)} over {@code env}, the environment's configuration (nodes, timeout). */
    public Supplier<RunningHubClient.Config> runningHub(RunningHubClient.Config env) {
        return () -> stored(Provider.RUNNINGHUB)
                .map(p -> env.withCredentials(
                        p.endpointUrl() == null ? env.baseUrl() : URI.create(p.endpointUrl()), p.secret()))
                .orElse(env);
    }

    /**
     * Whether {@code provider} has a stored row, also one that cannot be decrypted: its clients are then built at
     * start even without the environment's settings. Asked while the routing is built, which can be before the
     * schema exists (a production instance waits for {@code opsctl db migrate}; the embedded default migrates after
     * the routing) or while the database is down: then no row can be known, and the environment decides.
     */
    public boolean hasStored(Provider provider) {
        try {
            return stored(provider).isPresent();
        } catch (CredentialException e) {
            return true;
        } catch (DataAccessException e) {
            LOG.warn(
                    "stored {} credentials not readable at start ({}); the environment's settings decide whether it"
                            + " is enabled",
                    provider.ref(),
                    e.getMessage());
            return false;
        }
    }

    /** The provider's stored, decrypted row (cached), or empty when it has none. */
    public Optional<ProviderCredentialStore.Plain> stored(Provider provider) {
        long now = nanos.getAsLong();
        Cached c = cache.get(provider);
        if (c == null || now - c.at() >= ttlNanos) {
            long gen = generation.get();
            c = load(provider, now);
            if (generation.get() == gen) {
                cache.put(provider, c);
            }
        }
        if (c.failure() != null) {
            throw c.failure();
        }
        return c.value();
    }

    private Cached load(Provider provider, long now) {
        Optional<ProviderCredentialStore.Stored> row = store.find(jdbc, provider.ref());
        if (row.isEmpty()) {
            return new Cached(Optional.empty(), null, now);
        }
        try {
            return new Cached(Optional.of(ProviderCredentialStore.decrypt(row.get(), requireCipher())), null, now);
        } catch (CredentialException e) {
            LOG.error("{}", e.getMessage());
            return new Cached(Optional.empty(), e, now);
        }
    }

    private CredentialCipher requireCipher() {
        return cipher.orElseThrow(() -> new CredentialException(
                "provider credentials are stored but CREDENTIALS_ENCRYPTION_KEY is not configured", null));
    }

    /** Every provider as admins see it, read from the database now (not the cache). */
    List<View> views() {
        Map<String, ProviderCredentialStore.Stored> rows = new java.util.HashMap<>();
        store.list(jdbc).forEach(r -> rows.put(r.ref(), r));
        return Arrays.stream(Provider.values())
                .map(p -> view(p, rows.get(p.ref())))
                .toList();
    }

    private View view(Provider p, ProviderCredentialStore.Stored row) {
        if (row == null) {
            Optional<String> env = settings.find(p.secretKey);
            String url = p.urlKey == null ? null : settings.find(p.urlKey).orElse(null);
            return env.map(v ->
                            new View(p.ref(), "environment", url, ProviderCredentialStore.mask(v), null, null, null))
                    .orElseGet(() -> new View(p.ref(), "none", url, null, null, null, null));
        }
        try {
            ProviderCredentialStore.Plain plain = ProviderCredentialStore.decrypt(row, requireCipher());
            return new View(
                    p.ref(), "database", row.endpointUrl(), plain.masked(), row.keyVersion(), row.updatedAt(), null);
        } catch (CredentialException e) {
            return new View(
                    p.ref(), "database", row.endpointUrl(), null, row.keyVersion(), row.updatedAt(), e.getMessage());
        }
    }

    /**
     * Stores a provider's endpoint and (when given) credentials, audited in the same transaction, then makes every
     * instance read it again.
     */
    View put(AccountAdmin.Actor actor, String ref, String endpointUrl, Optional<String> secret) {
        Provider p = Provider.of(ref)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.NOT_FOUND,
                        "no provider '" + ref + "' (known: "
                                + String.join(
                                        ", ",
                                        Arrays.stream(Provider.values())
                                                .map(Provider::ref)
                                                .toList()) + ")"));
        String url = endpointUrl(endpointUrl);
        Optional<String> value = secret.map(String::strip);
        if (value.isPresent() && (value.get().isEmpty() || value.get().length() > MAX_SECRET)) {
            throw ApiException.invalid("credentials", "must be 1.." + MAX_SECRET + " characters");
        }
        CredentialCipher c = cipher.orElseThrow(() -> new ApiException(
                ErrorCode.UNAVAILABLE, "credentials cannot be stored: CREDENTIALS_ENCRYPTION_KEY is not configured"));
        ProviderCredentialStore.Stored row;
        try {
            row = jdbc.inTransaction(h -> {
                ProviderCredentialStore.Stored stored = store.put(h, p.ref(), url, value, c);
                Map<String, Object> details = new java.util.LinkedHashMap<>();
                details.put("endpointUrl", url);
                details.put("credentialsChanged", value.isPresent());
                details.put("keyVersion", stored.keyVersion());
                audit.record(h, actor.entry("provider.credentials.set", "provider", p.ref(), details));
                return stored;
            });
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("credentials", "required: provider '" + p.ref() + "' has none stored yet");
        }
        invalidate();
        return view(p, row);
    }

    /** Clears this instance's cache and tells the other instances to clear theirs. */
    void invalidate() {
        clear();
        signal.signal(TOPIC);
    }

    private void clear() {
        generation.incrementAndGet();
        cache.clear();
    }

    private static String endpointUrl(String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip();
        try {
            URI u = new URI(s);
            if (s.length() > MAX_URL
                    || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))
                    || u.getHost() == null
                    || u.getRawUserInfo() != null
                    || u.getRawQuery() != null
                    || u.getRawFragment() != null) {
                throw new java.net.URISyntaxException(s, "not an http(s) URL");
            }
            return s;
        } catch (java.net.URISyntaxException e) {
            throw ApiException.invalid(
                    "endpointUrl",
                    "must be an http or https URL without user info, query or fragment (at most " + MAX_URL
                            + " characters)");
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
