/**
 * Short-lived shared state: values with a TTL, rate limits and wake-up signals. Each comes as a small interface
 * with a Redis implementation (several server instances share it) and an in-process one (the embedded,
 * single-instance default when {@code REDIS_HOST} is unset). Only state that may be lost lives here: the
 * database stays the source of truth. {@link com.aiphoto.server.platform.kv.KvServices} picks and wires them.
 *
 * <p>Redis keys are namespaced as {@code <prefix>:kv:<key>}, {@code <prefix>:rl:<key>} and channels as
 * {@code <prefix>:wake:<topic>}, so tests and several installations can share one Redis.
 */
package com.aiphoto.server.platform.kv;
