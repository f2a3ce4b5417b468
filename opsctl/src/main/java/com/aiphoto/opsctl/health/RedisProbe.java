package com.aiphoto.opsctl.health;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.check.Perf;
import com.aiphoto.opsctl.cli.Resp;
import com.aiphoto.opsctl.health.Observation.State;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * {@code PING} to the configured Redis, {@code AUTH} first when it has a password. Spoken in RESP by hand rather
 * than through Lettuce: two commands do not justify netty's start-up in a command meant to answer in well under
 * a second. Redis down is a warning, not a failure: the API keeps serving without it (limits per instance).
 */
final class RedisProbe {
    static final String PING = "redis:ping";
    private static final long WARN_MS = 500;

    private RedisProbe() {}

    static Probe probe(Settings s, Duration timeout) {
        return new Probe("redis", List.of(PING), () -> {
            if (s.find("REDIS_HOST").filter(h -> !h.isBlank()).isEmpty()) {
                return List.of(
                        Observation.skipped(PING, "REDIS_HOST not set: the server uses in-process replacements"));
            }
            String host = s.get("REDIS_HOST");
            int port = s.integer("REDIS_PORT");
            String where = "redis " + host + ":" + port;
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            long t0 = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), millis);
                socket.setSoTimeout(millis);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                var password = s.find("REDIS_PASSWORD").filter(p -> !p.isEmpty());
                if (password.isPresent()) {
                    out.write(Resp.command("AUTH", password.get()));
                    out.flush();
                    String auth = Resp.reply(in);
                    if (!auth.startsWith("+")) {
                        // the reply names no secret; the password is never echoed
                        return List.of(Observation.of(
                                PING, State.WARN, null, "ms", where + ": AUTH refused: " + auth.substring(1)));
                    }
                }
                out.write(Resp.command("PING"));
                out.flush();
                String pong = Resp.reply(in);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                Perf perf = Perf.upTo(ms, "ms", WARN_MS, null);
                if (!pong.equals("+PONG")) {
                    return List.of(Observation.of(PING, State.WARN, perf, "ms", where + " answered " + pong));
                }
                return List.of(Observation.of(
                        PING, Observation.upTo(ms, WARN_MS, Double.MAX_VALUE), perf, "ms", where + ": PONG"));
            } catch (IOException e) {
                return List.of(new Observation(
                        PING,
                        null,
                        State.WARN,
                        null,
                        null,
                        null,
                        where + " unreachable (" + ServerProbes.describe(e)
                                + "): the API serves on, with limits and login codes per instance",
                        java.time.Instant.now()));
            }
        });
    }
}
