package com.aiphoto.opsctl.secrets;

import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.opsctl.cli.Audits;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.FileModes;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fills the env file's missing or placeholder secrets with strong random values. DB_PASSWORD is never generated
 * (it must be the database's); REDIS_PASSWORD only when Redis is configured or the file holds a placeholder for
 * it. Values never reach stdout or stderr: only the names of the keys set.
 */
@Command(
        name = "generate",
        description = {
            "Fill missing or placeholder secrets (JWT_SECRET, INTERNAL_CALLBACK_SECRET, CREDENTIALS_ENCRYPTION_KEY,"
                    + " REDIS_PASSWORD when Redis is configured) in the env file with strong random values.",
            "Keeps every other line; writes atomically with mode 0600. Without --write only says what it would do."
        })
final class SecretsGenerateCommand extends OpsCommand {
    @Option(names = "--write", description = "Write the file (default: only show what would be set).")
    boolean write;

    /** --json. */
    record Generated(String envFile, List<KeySet> keys, boolean written) {}

    record KeySet(String key, String action) {}

    @Override
    protected boolean reportsEnvFileMode() {
        return true; // it writes the file 0600 itself
    }

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        Path file = settings.envFile()
                .orElseThrow(() ->
                        new OpsctlException(ExitCode.PRECONDITION, "no env file found to fill; pass --env-file PATH"));
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new OpsctlException(ExitCode.FAILED, "env file " + file + " is not UTF-8 text; nothing changed");
        }
        EnvFileEditor editor = EnvFileEditor.parse(text);
        List<KeySet> set = new ArrayList<>();
        for (String key : wanted(editor)) {
            set.add(new KeySet(key, editor.set(key, generate(key)).name().toLowerCase(java.util.Locale.ROOT)));
        }
        Optional<String> openMode = FileModes.tooOpen(file);
        if (write && !set.isEmpty()) {
            EnvFileEditor.writeAtomically(file, editor.text());
            audit(settings, file, set);
        } else if (write && openMode.isPresent()) {
            EnvFileEditor.restrict(file.toRealPath());
        }
        report(file, set, openMode);
        return ExitCode.OK;
    }

    /**
     * One audit row naming the file and the keys (never values) when a database is configured; none is (no or a
     * placeholder DB_HOST) on a fresh install, which is skipped silently. A database that does not answer is a
     * warning: the file is written, and failing now would tell the operator otherwise.
     */
    private void audit(Settings settings, Path file, List<KeySet> set) {
        Optional<String> host = settings.find("DB_HOST");
        if (host.isEmpty() || ConfigCheck.isPlaceholder(host.get())) {
            return;
        }
        try (OpsDatabase db = openDatabase()) {
            Audits.of(db, settings)
                    .record(AuditLog.Entry.byOpsctl(
                            "secrets.generate",
                            "env_file",
                            file.toString(),
                            Map.of("keys", set.stream().map(KeySet::key).toList())));
        } catch (RuntimeException e) {
            err().println("opsctl: warning: secrets written, but not recorded in the audit log: "
                    + OpsDatabase.rootCause(e));
        }
    }

    private void report(Path file, List<KeySet> set, Optional<String> openMode) {
        PrintWriter out = out();
        if (json()) {
            out.println(Json.write(new Generated(file.toString(), set, write && !set.isEmpty())));
            return;
        }
        if (set.isEmpty()) {
            out.println("nothing to do: every secret in " + file + " is set");
        } else {
            out.println((write ? "set " : "would set ") + set.size() + " secret(s) in " + file
                    + (write ? " (mode 600)" : " (dry run: pass --write to write them)") + ":");
            set.forEach(k -> out.println("  " + k.key() + " (" + k.action() + ")"));
            if (set.stream().anyMatch(k -> k.key().equals("REDIS_PASSWORD"))) {
                out.println("configure Redis with the new REDIS_PASSWORD (requirepass) before starting the server");
            }
        }
        if (openMode.isPresent()) {
            out.println(
                    write
                            ? "mode " + openMode.get() + " -> 600"
                            : "the file is mode " + openMode.get() + "; --write makes it 600");
        }
    }

    /** The keys to fill: missing or placeholder, REDIS_PASSWORD under its own rule, DB_PASSWORD never. */
    static List<String> wanted(EnvFileEditor e) {
        List<String> keys = new ArrayList<>();
        for (String key : List.of("JWT_SECRET", "INTERNAL_CALLBACK_SECRET", "CREDENTIALS_ENCRYPTION_KEY")) {
            if (unset(e.value(key))) {
                keys.add(key);
            }
        }
        Optional<String> redisPassword = e.value("REDIS_PASSWORD");
        boolean redisConfigured = !unset(e.value("REDIS_HOST"));
        boolean placeholder = redisPassword
                .filter(v -> !v.isBlank())
                .filter(ConfigCheck::isPlaceholder)
                .isPresent();
        if (placeholder || (redisConfigured && unset(redisPassword))) {
            keys.add("REDIS_PASSWORD");
        }
        return keys;
    }

    private static boolean unset(Optional<String> value) {
        return value.isEmpty() || value.get().isBlank() || ConfigCheck.isPlaceholder(value.get());
    }

    /** A fresh value that config check accepts for {@code key} (a draw it would call weak is drawn again). */
    static String generate(String key) {
        while (true) {
            String v = switch (key) {
                case "CREDENTIALS_ENCRYPTION_KEY" -> Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
                case "REDIS_PASSWORD" -> Secrets.randomToken(24);
                default -> Secrets.randomToken(48);
            };
            ConfigCheck.Report r = ConfigCheck.check(Settings.of(Map.of(key, v, "APP_ENV", "production")));
            if (r.problems().stream().noneMatch(p -> p.startsWith(key + " "))) {
                return v;
            }
        }
    }
}
