/**
 * Test fixtures shared by core, server and opsctl (a test-scoped dependency of each; it depends on none of them):
 * {@link com.aiphoto.testing.TestDatabases} scratch databases on MariaDB/MySQL (either JDBC driver) and H2,
 * {@link com.aiphoto.testing.TestRedis} key prefixes, {@link com.aiphoto.testing.FakeServer} the Helidon-based base
 * of fake vendor APIs (with {@link com.aiphoto.testing.FakeCos}), {@link com.aiphoto.testing.LogFiles} and
 * {@link com.aiphoto.testing.LogCapture} for "no secret in any log", {@link com.aiphoto.testing.Concurrently} for
 * races. The test clock is threeten-extra's {@code org.threeten.extra.MutableClock}, which this module brings.
 */
package com.aiphoto.testing;
