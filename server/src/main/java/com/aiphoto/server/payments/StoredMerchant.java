package com.aiphoto.server.payments;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.credentials.CredentialException;
import com.aiphoto.core.credentials.ProviderCredentialStore;
import com.aiphoto.core.db.DataAccessException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WeChatPay} and the notification verifier under the merchant now in force: the stored {@code wechatpay}
 * credentials when there are, else the environment's. The SDK client and the parser are immutable, so they are
 * rebuilt when the stored row changes (seen through the credentials cache on each use). Until a new merchant builds,
 * the previous one stays: a broken stored credential is logged (the reason, never a value), once per row, and
 * payments keep running on what they ran on.
 */
final class StoredMerchant implements WeChatPay {
    private static final Logger LOG = LoggerFactory.getLogger(StoredMerchant.class);

    /** A merchant built from {@code from} (empty: the environment's). */
    private record Built(
            Optional<ProviderCredentialStore.Plain> from,
            WeChatPayConfig config,
            WeChatPay client,
            WeChatPayNotifyService.Verifier verifier) {}

    private final Settings settings;
    private final Optional<WeChatPayConfig> env;
    private final Supplier<Optional<ProviderCredentialStore.Plain>> stored;
    private final Function<WeChatPayConfig, WeChatPay> clients;
    private volatile Built current;
    /** The row (or decryption failure) last refused, so that it is logged once, not on every payment. */
    private volatile Object refused;

    /**
     * @param stored the stored row, cached and invalidated by the caller ({@code ProviderCredentials}); throws
     *     {@link CredentialException} when it cannot be decrypted
     * @param clients builds the SDK client for a merchant
     */
    StoredMerchant(
            Settings settings,
            Optional<WeChatPayConfig> env,
            Supplier<Optional<ProviderCredentialStore.Plain>> stored,
            Function<WeChatPayConfig, WeChatPay> clients) {
        this.settings = settings;
        this.env = env;
        this.stored = stored;
        this.clients = clients;
    }

    /** The verifier of the merchant in force; empty when there is none (nothing configured, nothing usable stored). */
    Optional<WeChatPayNotifyService.Verifier> verifier() {
        return current().map(Built::verifier);
    }

    private Optional<Built> current() {
        Optional<ProviderCredentialStore.Plain> row;
        try {
            row = stored.get();
        } catch (CredentialException e) {
            refuse(e.getMessage(), e.getMessage());
            return Optional.ofNullable(current);
        } catch (DataAccessException e) {
            // the database is down, or not migrated yet at start: keep the merchant in force, else start on the
            // environment's (rebuilt from the row once one can be read)
            Built known = current;
            if (known != null) {
                return Optional.of(known);
            }
            row = Optional.empty();
        }
        Built c = current;
        if (c != null && c.from().equals(row)) {
            return Optional.of(c);
        }
        synchronized (this) {
            c = current;
            if ((c != null && c.from().equals(row)) || Objects.equals(refused, row)) {
                return Optional.ofNullable(c);
            }
            if (row.isEmpty() && env.isEmpty()) {
                return Optional.ofNullable(c);
            }
            try {
                WeChatPayConfig config = row.isPresent()
                        ? WeChatPayConfig.stored(
                                settings,
                                env,
                                row.get().endpointUrl(),
                                row.get().secret())
                        : env.orElseThrow();
                Built b = new Built(row, config, clients.apply(config), WeChatPayNotifyService.Verifier.of(config));
                current = b;
                refused = null;
                LOG.info(
                        "WeChat Pay: merchant {} from {}",
                        config.mchid(),
                        row.isPresent() ? "the stored credentials" : "the environment");
                return Optional.of(b);
            } catch (RuntimeException e) {
                // WeChatPayConfig's messages name the field, never a value; the SDK's builders say no more than
                // their exception class here, in case one quotes what it was given
                String reason = e instanceof IllegalStateException
                        ? e.getMessage()
                        : e.getClass().getSimpleName();
                refuse(row, reason);
                return Optional.ofNullable(c);
            }
        }
    }

    private void refuse(Object what, String reason) {
        if (Objects.equals(refused, what)) {
            return;
        }
        refused = what;
        Built c = current;
        LOG.error(
                "WeChat Pay: stored credentials not used ({}); payments stay on {}",
                reason,
                c == null
                        ? "nothing (none configured)"
                        : "merchant " + c.config().mchid());
    }

    private WeChatPay client() throws PaymentProviderException {
        return current()
                .map(Built::client)
                .orElseThrow(
                        () -> new PaymentProviderException("WeChat Pay: no usable merchant credentials", false, null));
    }

    @Override
    public String createNative(NativeOrder order) throws PaymentProviderException {
        return client().createNative(order);
    }

    @Override
    public Optional<WeChatTransaction> query(String outTradeNo) throws PaymentProviderException {
        return client().query(outTradeNo);
    }

    @Override
    public void close(String outTradeNo) throws PaymentProviderException {
        client().close(outTradeNo);
    }
}
