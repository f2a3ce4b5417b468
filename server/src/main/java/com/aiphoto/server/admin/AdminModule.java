package com.aiphoto.server.admin;

import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.config.Redactor;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.credentials.ProviderCredentialStore;
import com.aiphoto.core.crypto.CredentialKeys;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.Platform;
import com.aiphoto.server.auth.Authenticator;
import io.helidon.webserver.http.HttpRules;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * Builds the admin API and the provider credentials reader from the platform. A malformed
 * {@code CREDENTIALS_ENCRYPTION_KEY} or {@code ADMIN_TIME_ZONE} stops the start with a one-line message.
 */
public final class AdminModule {
    private final AdminService service;
    private final ProviderCredentials credentials;

    private AdminModule(AdminService service, ProviderCredentials credentials) {
        this.service = service;
        this.credentials = credentials;
    }

    public static AdminModule create(Platform p, Authenticator auth) {
        Settings s = p.settings();
        Jdbc jdbc = p.database().jdbc();
        ZoneId zone;
        try {
            zone = ZoneId.of(s.get("ADMIN_TIME_ZONE"));
        } catch (DateTimeException e) {
            throw new IllegalStateException("ADMIN_TIME_ZONE must be a time zone id such as Asia/Shanghai or UTC");
        }
        AuditLog audit = new AuditLog(jdbc, p.clock(), Redactor.of(s));
        ProviderCredentials credentials = new ProviderCredentials(
                jdbc,
                new ProviderCredentialStore(p.clock()),
                CredentialKeys.from(s),
                s,
                audit,
                p.kv().wakeupSignal(),
                s.duration("PROVIDER_CREDENTIALS_CACHE_TTL"),
                System::nanoTime);
        AdminService service = new AdminService(
                auth,
                p.json(),
                p.clientIp(),
                new AdminQueries(jdbc, p.clock(), zone),
                new AccountAdmin(
                        jdbc,
                        new QuotaLedger(jdbc, p.clock(), p.kv().accountChanges()),
                        audit,
                        p.kv().accountChanges(),
                        p.clock()),
                credentials);
        return new AdminModule(service, credentials);
    }

    /** Registers {@code /api/admin}. */
    public void register(HttpRules rules) {
        rules.register("/api/admin", service);
    }

    /** What provider clients read their credentials through ({@link ProviderCredentials#runningHub}). */
    public ProviderCredentials providerCredentials() {
        return credentials;
    }
}
