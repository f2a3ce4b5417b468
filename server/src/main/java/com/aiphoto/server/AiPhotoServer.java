package com.aiphoto.server;

import com.aiphoto.core.config.Settings;
import com.aiphoto.server.health.DrainService;
import com.aiphoto.server.health.ReadinessChecks;
import com.aiphoto.server.payments.PaymentsModule;
import com.aiphoto.server.platform.Cors;
import com.aiphoto.server.platform.EnvelopeDirectHandler;
import com.aiphoto.server.platform.JsonMedia;
import com.aiphoto.server.tasks.TasksModule;
import io.helidon.health.checks.HealthChecks;
import io.helidon.http.DirectHandler;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds and runs the web server: the API socket, the admin socket (observe endpoints) on 127.0.0.1. */
public final class AiPhotoServer {
    private static final Logger LOG = LoggerFactory.getLogger(AiPhotoServer.class);
    static final String ADMIN_SOCKET = "admin";
    /** Listener-level cap; JSON bodies have their own smaller limit (MAX_JSON_BODY), uploads up to 10 MiB. */
    static final long MAX_PAYLOAD = 11L * 1024 * 1024;

    private AiPhotoServer() {}

    /** A running server and its platform. */
    public record Running(WebServer server, Platform platform) {
        public int port() {
            return server.port();
        }

        public int adminPort() {
            return server.port(ADMIN_SOCKET);
        }

        /**
         * Graceful stop: readiness goes DOWN first, then after the drain delay in-flight requests get up to
         * SHUTDOWN_TIMEOUT to finish, then the server stops and the pools close.
         */
        public void stop() {
            // a drain asked through the admin port before (opsctl upgrade) does not skip the stop
            if (!platform.lifecycle().startStopping()) {
                return;
            }
            Settings s = platform.settings();
            try {
                Thread.sleep(s.duration("SHUTDOWN_DRAIN_DELAY"));
                long deadline =
                        System.nanoTime() + s.duration("SHUTDOWN_TIMEOUT").toNanos();
                while (platform.requestFilter().inFlight() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int left = platform.requestFilter().inFlight();
            if (left > 0) {
                LOG.warn("stopping with {} request(s) still in flight after SHUTDOWN_TIMEOUT", left);
            }
            server.stop();
            platform.close();
            LOG.info("stopped");
        }
    }

    public static Running start(Settings s) {
        return start(s, null);
    }

    /** {@code extraRoutes} (may be null) lets tests add fixture routes next to the real ones. */
    public static Running start(Settings s, Function<Platform, HttpService> extraRoutes) {
        return start(s, extraRoutes, PaymentsModule::create);
    }

    /** {@code payments} builds the payments feature (tests give it a WeChat Pay double). */
    public static Running start(
            Settings s, Function<Platform, HttpService> extraRoutes, PaymentsModule.Factory payments) {
        return start(s, extraRoutes, payments, TasksModule::create);
    }

    /** {@code tasks} builds the task engine (tests give it scripted providers). */
    public static Running start(
            Settings s,
            Function<Platform, HttpService> extraRoutes,
            PaymentsModule.Factory payments,
            TasksModule.Factory tasks) {
        Platform platform = Platform.create(s);
        try {
            WebServer server = configure(WebServer.builder(), platform, extraRoutes, payments, tasks)
                    .build()
                    .start();
            try {
                // features added their jobs while the routing was built
                platform.scheduling().start();
            } catch (RuntimeException e) {
                server.stop();
                throw e;
            }
            return new Running(server, platform);
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    public static WebServerConfig.Builder configure(
            WebServerConfig.Builder b, Platform p, Function<Platform, HttpService> extraRoutes) {
        return configure(b, p, extraRoutes, PaymentsModule::create);
    }

    public static WebServerConfig.Builder configure(
            WebServerConfig.Builder b,
            Platform p,
            Function<Platform, HttpService> extraRoutes,
            PaymentsModule.Factory payments) {
        return configure(b, p, extraRoutes, payments, TasksModule::create);
    }

    public static WebServerConfig.Builder configure(
            WebServerConfig.Builder b,
            Platform p,
            Function<Platform, HttpService> extraRoutes,
            PaymentsModule.Factory payments,
            TasksModule.Factory tasks) {
        Settings s = p.settings();
        DirectHandler envelope = new EnvelopeDirectHandler(p.json().mapper());
        DirectHandlers.Builder direct = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            direct.addHandler(type, envelope);
        }
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .healthChecks(ReadinessChecks.create(
                        p.lifecycle(),
                        p.database(),
                        p.migrations(),
                        p.kv().distributed() ? p.kv()::ping : null,
                        List.of(Path.of(s.get("LOG_DIR")), Path.of(s.get("DATA_DIR"))),
                        s.bytes("DISK_MIN_FREE")))
                .addCheck(HealthChecks.deadlockCheck())
                .build();
        Cors.feature(s).ifPresent(b::addFeature);
        // the API's contract (META-INF/openapi.yaml, checked against the routes by the tests) at /openapi
        b.addFeature(OpenApiFeature.builder()
                .servicesDiscoverServices(false)
                .managerDiscoverServices(false)
                .build());
        return b.host(s.get("HOST"))
                .port(s.integer("PORT"))
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .maxPayloadSize(MAX_PAYLOAD)
                // a half-sent request line or an idle keep-alive connection would otherwise be held for minutes
                // (Helidon: 5 min idle, swept every 2 min). Helidon 4.5 cannot interrupt a read of headers or body
                // (and ignores SocketOptions.readTimeout on its channels): nginx's client timeouts cover those.
                .idleConnectionTimeout(s.duration("REQUEST_READ_TIMEOUT"))
                .idleConnectionPeriod(Duration.ofSeconds(1))
                .shutdownGracePeriod(Duration.ofSeconds(2))
                .directHandlers(direct.build())
                .mediaContext(m -> m.mediaSupportsDiscoverServices(true).addMediaSupport(new JsonMedia(p.json())))
                .putSocket(
                        ADMIN_SOCKET, socket -> socket.host(s.get("ADMIN_HOST")).port(s.integer("ADMIN_PORT")))
                .routing(
                        ADMIN_SOCKET,
                        admin -> admin.register("/observe/drain", new DrainService(p.lifecycle(), p.requestFilter())))
                .addFeature(ObserveFeature.builder()
                        .sockets(List.of(ADMIN_SOCKET))
                        .addObserver(health)
                        .addObserver(MetricsObserver.create())
                        .build())
                .routing(routing -> {
                    ApiRouting.routing(routing, p, payments, tasks);
                    if (extraRoutes != null) {
                        p.routes().rules(routing).register(extraRoutes.apply(p));
                    }
                });
    }
}
