package com.aiphoto.opsctl.backup;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.storage.CosStorage;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import com.qcloud.cos.COSClient;
import com.qcloud.cos.exception.CosClientException;
import com.qcloud.cos.model.COSObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * --upload: puts a backup's data file and then its manifest under {@code backups/} in the COS bucket, reading
 * the data object back to compare its SHA-256 with the manifest's (the SDK checks the upload's MD5 as well).
 * The client is core's {@link CosStorage} (COS_ENDPOINT: a local fake in tests). A failed upload leaves the
 * local backup in place and ends in exit 1.
 */
final class CosUploader {
    static final String PREFIX = "backups/";

    private CosUploader() {}

    /** Fails before any work when COS is not configured (exit 3). */
    static void check(Settings settings) {
        List<String> missing = CosStorage.missing(settings);
        if (!missing.isEmpty()) {
            throw new OpsctlException(ExitCode.PRECONDITION, "--upload needs " + String.join(", ", missing));
        }
    }

    static BackupManifest upload(
            Settings settings, BackupStore store, BackupManifest m, PrintWriter err, boolean quiet) {
        CosStorage storage = CosStorage.from(settings);
        String bucket = storage.bucket();
        String key = PREFIX + m.file();
        COSClient cos = storage.client();
        try {
            Path file = store.file(m);
            cos.putObject(bucket, key, file.toFile());
            String readBack = sha256(cos.getObject(bucket, key), err, quiet, m.size());
            if (!readBack.equals(m.sha256())) {
                throw new OpsctlException(
                        ExitCode.FAILED,
                        "backup " + m.name() + " is kept in " + store.dir() + ", but the copy at cos://" + bucket + "/"
                                + key + " read back with another SHA-256");
            }
            BackupManifest uploaded = m.withUpload(new BackupManifest.Upload(bucket, key, Instant.now()));
            store.save(uploaded);
            cos.putObject(
                    bucket,
                    PREFIX + m.name() + ".json",
                    store.manifestFile(uploaded).toFile());
            return uploaded;
        } catch (CosClientException | IOException e) {
            throw new OpsctlException(
                    ExitCode.FAILED,
                    "backup " + m.name() + " is kept in " + store.dir() + ", but the upload to cos://" + bucket + "/"
                            + key + " failed: " + OpsDatabase.rootCause(e),
                    e);
        } finally {
            cos.shutdown();
        }
    }

    private static String sha256(COSObject object, PrintWriter err, boolean quiet, long size) throws IOException {
        MessageDigest md = BackupStore.sha256();
        ByteProgress progress = new ByteProgress(err, "reading back the upload", size, quiet);
        try (object;
                InputStream in = object.getObjectContent()) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
                progress.add(n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
