package com.aiphoto.opsctl.secrets;

import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.credentials.CredentialException;
import com.aiphoto.core.credentials.ProviderCredentialStore;
import com.aiphoto.core.crypto.CredentialCipher;
import com.aiphoto.core.crypto.CredentialKeys;
import com.aiphoto.opsctl.cli.Audits;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Re-encrypts every stored credential under a new key, in one transaction (every row locked; any value that does
 * not decrypt stops it with nothing changed), with one audit row. The old keys are the configured
 * CREDENTIALS_ENCRYPTION_KEY and CREDENTIALS_PREVIOUS_ENCRYPTION_KEY. The servers must already know the new key as
 * one of those two, else they could not read what this writes: that is refused (a dry run only warns).
 */
@Command(
        name = "rotate-key",
        description = {
            "Re-encrypt every stored provider credential under the key in environment variable (or env file key)"
                    + " NAME, in one transaction; values under it already are left alone.",
            "The old keys are CREDENTIALS_ENCRYPTION_KEY and CREDENTIALS_PREVIOUS_ENCRYPTION_KEY. Steps: on every"
                    + " instance set CREDENTIALS_ENCRYPTION_KEY to the new key and CREDENTIALS_PREVIOUS_ENCRYPTION_KEY"
                    + " to the old one and restart it (servers decrypt both while they switch), run"
                    + " 'opsctl secrets rotate-key --new-key-env CREDENTIALS_ENCRYPTION_KEY', then remove"
                    + " CREDENTIALS_PREVIOUS_ENCRYPTION_KEY: the old key is no longer needed."
        })
final class SecretsRotateKeyCommand extends OpsCommand {
    @Option(
            names = "--new-key-env",
            required = true,
            paramLabel = "NAME",
            description = "The variable holding the new key (32 bytes, base64 or 64 hex digits).")
    String newKeyEnv;

    @Option(names = "--dry-run", description = "Decrypt everything and count what would change; write nothing.")
    boolean dryRun;

    /** --json. */
    record Rotated(
            int total,
            int reencrypted,
            int alreadyCurrent,
            int newKeyVersion,
            Map<String, Integer> byKeyVersion,
            boolean dryRun) {}

    @Override
    public Integer call() {
        Settings s = settings();
        String newKey = s.find(newKeyEnv)
                .filter(v -> !ConfigCheck.isPlaceholder(v))
                .orElseThrow(() -> new OpsctlException(
                        ExitCode.PRECONDITION, newKeyEnv + " is not set (environment or env file); nothing changed"));
        if (ConfigCheck.decodeKey32(newKey).isEmpty()) {
            throw new OpsctlException(
                    ExitCode.PRECONDITION,
                    newKeyEnv + " must decode to exactly 32 bytes (base64 or 64 hex digits); nothing changed");
        }
        CredentialCipher cipher = CredentialKeys.cipher(newKeyEnv, newKey);
        boolean serversKnowIt = false;
        for (String name : new String[] {CredentialKeys.CURRENT, CredentialKeys.PREVIOUS}) {
            Optional<String> old = s.find(name).filter(v -> !ConfigCheck.isPlaceholder(v));
            if (old.isEmpty()) {
                continue;
            }
            try {
                serversKnowIt |= CredentialKeys.version(name, old.get()) == cipher.currentVersion();
                cipher = CredentialKeys.accepting(cipher, name, old.get());
            } catch (IllegalArgumentException e) {
                throw new OpsctlException(ExitCode.PRECONDITION, e.getMessage() + "; nothing changed");
            }
        }
        if (!serversKnowIt) {
            String why = "the new key (" + newKeyEnv + ") is neither " + CredentialKeys.CURRENT + " nor "
                    + CredentialKeys.PREVIOUS + " in this configuration, so servers could not read what this writes;"
                    + " first set " + CredentialKeys.CURRENT + " to it and " + CredentialKeys.PREVIOUS
                    + " to the old key on every instance and restart them";
            if (!dryRun) {
                throw new OpsctlException(ExitCode.PRECONDITION, why + "; nothing changed");
            }
            err().println("opsctl: warning: " + why);
        }
        ProviderCredentialStore store = new ProviderCredentialStore(Clock.systemUTC());
        CredentialCipher keys = cipher;
        ProviderCredentialStore.Rotation r;
        try (OpsDatabase db = openDatabase()) {
            AuditLog audit = Audits.of(db, s);
            r = Audits.inTransaction(db, h -> {
                ProviderCredentialStore.Rotation done = store.rotate(h, keys, dryRun);
                if (!dryRun) {
                    audit.record(
                            h,
                            AuditLog.Entry.byOpsctl(
                                    "secrets.rotate_key",
                                    "provider_credentials",
                                    null,
                                    Map.of(
                                            "newKeyEnv", newKeyEnv,
                                            "newKeyVersion", done.newKeyVersion(),
                                            "reencrypted", done.reencrypted(),
                                            "alreadyCurrent", done.alreadyCurrent())));
                }
                return done;
            });
        } catch (CredentialException e) {
            throw new OpsctlException(ExitCode.FAILED, e.getMessage() + "; nothing changed");
        }
        report(r);
        return ExitCode.OK;
    }

    private void report(ProviderCredentialStore.Rotation r) {
        PrintWriter out = out();
        Map<String, Integer> byVersion = new LinkedHashMap<>();
        r.byVersion().forEach((v, n) -> byVersion.put(Integer.toString(v), n));
        if (json()) {
            out.println(Json.write(
                    new Rotated(r.total(), r.reencrypted(), r.alreadyCurrent(), r.newKeyVersion(), byVersion, dryRun)));
            return;
        }
        out.println((dryRun ? "would re-encrypt " : "re-encrypted ") + r.reencrypted() + " of " + r.total()
                + " stored credential(s) under key version " + r.newKeyVersion() + " (" + r.alreadyCurrent()
                + " already under it)" + (dryRun ? "; dry run: nothing written" : ""));
        if (!byVersion.isEmpty()) {
            out.println("  before, by key version: " + byVersion);
        }
        if (!dryRun) {
            out.println("the old key is no longer needed once every instance runs with " + CredentialKeys.CURRENT
                    + " = the new key; then remove " + CredentialKeys.PREVIOUS);
        }
    }
}
