package com.aiphoto.opsctl;

import java.io.PrintWriter;

import com.aiphoto.core.config.Settings;

/** --upload: copies a backup pair to COS and reads the data object back to compare hashes. */
final class CosUploader {
    private CosUploader() {
    }

    static void check(Settings settings) {
        throw new OpsctlException(ExitCode.PRECONDITION, "--upload is not built yet");
    }

    static BackupManifest upload(Settings settings, BackupStore store, BackupManifest m, PrintWriter err, boolean quiet) {
        throw new OpsctlException(ExitCode.PRECONDITION, "--upload is not built yet");
    }
}
