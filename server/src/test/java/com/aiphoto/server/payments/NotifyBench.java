package com.aiphoto.server.payments;

import com.aiphoto.core.db.Migrations;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.FakeWeChatPay;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import com.aiphoto.testing.WeChatPayKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Notify handling latency (verify + decrypt + settle + grant) at N concurrent notifications, against a local server
 * with the production wiring and {@link FakeWeChatPay}: each round places N orders through the API (N users, not
 * timed), pays them at the fake, then posts the N notifications at once and times each from send to answer. Prints
 * p50 / p99 / max over the measured rounds; asserts nothing (run by {@code deploy/bench/notify.sh}; not a test: its
 * name matches none of surefire's patterns).
 *
 * <p>Arguments: {@code [rounds=10] [concurrency=50] [warmup=3] [mariadb|embedded]}.
 */
final class NotifyBench extends PaymentsFixture {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean embedded = args.length > 3 && args[3].equals("embedded");
        Path dir = Files.createTempDirectory("notify-bench");
        TestDatabases.Scratch db = embedded ? null : TestDatabases.create("notify_bench");
        String prefix = TestRedis.randomPrefix();
        try (FakeWeChatPay fake = new FakeWeChatPay(WeChatPayKeys.generate(dir.resolve("keys")))) {
            Map<String, String> m = new HashMap<>();
            if (db != null) {
                m.putAll(db.settings());
                m.putAll(TestRedis.serverSettings(prefix));
                // as production runs it: migrated beforehand (as opsctl db migrate does), JSON log files and no
                // console, throw-away secrets
                var unused = new Migrations(db.dataSource(), Migrations.DEFAULT_LOCATION).migrate();
                m.put("APP_ENV", "production");
                m.put("CREDENTIALS_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(random(32)));
                m.put("INTERNAL_CALLBACK_SECRET", Base64.getEncoder().encodeToString(random(48)));
            }
            m.putAll(fake.settings());
            m.put("JWT_SECRET", JWT_SECRET);
            m.put("DB_POOL_MAX", Integer.toString(Math.max(20, concurrency + 4)));
            int port = freePort();
            m.put("PORT", Integer.toString(port));
            m.put("API_DOMAIN", "http://127.0.0.1:" + port);
            NotifyBench bench = new NotifyBench();
            bench.server = TestServers.start(dir.resolve("server"), m, PaymentsModule::create);
            bench.api = new Http(port);
            try {
                List<Long> micros = new ArrayList<>();
                int failed = 0;
                for (int r = 0; r < warmup + rounds; r++) {
                    Round round = bench.round(fake, concurrency);
                    if (r >= warmup) {
                        micros.addAll(round.micros());
                        failed += round.failed();
                    }
                }
                Collections.sort(micros);
                System.out.printf(
                        Locale.ROOT,
                        "notify handling at %d concurrent notifications (%s): %d measured in %d rounds after %d warm-up"
                                + " rounds; p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d not answered 204%n",
                        concurrency,
                        embedded ? "embedded H2" : "MariaDB + Redis",
                        micros.size(),
                        rounds,
                        warmup,
                        percentile(micros, 50) / 1000.0,
                        percentile(micros, 99) / 1000.0,
                        micros.get(micros.size() - 1) / 1000.0,
                        failed);
            } finally {
                bench.server.stop();
            }
        } finally {
            if (db != null) {
                db.close();
                TestRedis.deleteByPrefix(prefix);
            }
            // the throw-away keys and the server's logs
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private record Round(List<Long> micros, int failed) {}

    /** N paid orders (set up untimed), then their N notifications at once, each timed. */
    private Round round(FakeWeChatPay fake, int n) throws Exception {
        List<FakeWeChatPay.Notification> notes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String orderId = purchased(newUser(), "monthly").get("orderId").asText();
            fake.pay(orderId);
            notes.add(fake.notification(fake.transaction(orderId)));
        }
        String url = "http://127.0.0.1:" + server.port() + WeChatPayConfig.NOTIFY_PATH;
        AtomicInteger next = new AtomicInteger();
        List<long[]> timed = Concurrently.run(n, () -> {
            FakeWeChatPay.Notification note = notes.get(next.getAndIncrement());
            long start = System.nanoTime();
            int status = fake.send(url, note).get(0).status();
            return new long[] {(System.nanoTime() - start) / 1000, status};
        });
        return new Round(timed.stream().map(t -> t[0]).toList(), (int)
                timed.stream().filter(t -> t[1] != 204).count());
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static long percentile(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
