package com.aiphoto.server.platform.kv;

import com.aiphoto.core.config.Settings;
import java.time.Duration;
import java.util.Optional;

/** Where Redis is and how long any call may take ({@code REDIS_TIMEOUT} bounds connecting and each command). */
public record RedisSettings(String host, int port, Optional<String> password, int database, Duration timeout) {

    /** Empty when {@code REDIS_HOST} is unset: the in-process replacements are used then. */
    public static Optional<RedisSettings> from(Settings settings) {
        return settings.find("REDIS_HOST")
                .map(host -> new RedisSettings(
                        host,
                        settings.integer("REDIS_PORT"),
                        settings.find("REDIS_PASSWORD"),
                        settings.integer("REDIS_DB"),
                        settings.duration("REDIS_TIMEOUT")));
    }

    /** host:port/db, for log lines (never the password). */
    public String address() {
        return host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "RedisSettings[" + address() + ", timeout=" + timeout + "]";
    }
}
