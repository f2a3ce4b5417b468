package com.aiphoto.server;

import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.config.Settings;
import com.aiphoto.server.platform.Logging;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code ai-photo-api}. Loads the configuration (application.yaml, env file, environment), refuses
 * to start on any configuration problem (listing all of them), then serves until SIGTERM and stops gracefully.
 */
public final class Main {
    /** Exit codes, for systemd and scripts. */
    static final int EXIT_START_FAILED = 1;

    static final int EXIT_BAD_CONFIG = 2;

    private Main() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Logging.bootstrap();
        Settings settings;
        try {
            settings = Settings.load(System.getenv(), envFileArg(args), List.of(Path.of(".env")));
        } catch (ConfigException e) {
            refuse(System.err, e.problems());
            System.exit(EXIT_BAD_CONFIG);
            return;
        }
        ConfigCheck.Report report = ConfigCheck.check(settings);
        if (!report.ok()) {
            refuse(System.err, report.problems());
            System.exit(EXIT_BAD_CONFIG);
            return;
        }
        Logging.configure(settings);
        Logger log = LoggerFactory.getLogger(Main.class);
        report.warnings().forEach(w -> log.warn("config: {}", w));
        settings.envFile().ifPresent(f -> log.info("configuration from {} and the environment", f));
        AiPhotoServer.Running running;
        try {
            running = AiPhotoServer.start(settings);
        } catch (RuntimeException e) {
            log.error("start failed: {}", e.getMessage(), e);
            System.exit(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "graceful-stop"));
        log.info(
                "ai-photo-api {} listening on {}:{} (observe on {}:{}) in {} ms",
                settings.appEnv().id(),
                settings.get("HOST"),
                running.port(),
                settings.get("ADMIN_HOST"),
                running.adminPort(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    static Path envFileArg(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--env-file") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--env-file=")) {
                return Path.of(args[i].substring("--env-file=".length()));
            }
        }
        return null;
    }

    static void refuse(PrintStream err, List<String> problems) {
        err.println("ai-photo-api: refusing to start, configuration has " + problems.size() + " problem(s):");
        problems.forEach(p -> err.println("  - " + p));
    }
}
