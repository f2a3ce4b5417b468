package com.aiphoto.opsctl;

/** Process exit codes of ordinary commands (see the opsctl spec); check commands use {@link CheckStatus}. */
final class ExitCode {
    static final int OK = 0;
    /** The operation was attempted and failed. */
    static final int FAILED = 1;
    /** Bad command line. */
    static final int USAGE = 2;
    /** Precondition not met: lock held, nothing configured, confirmation missing, unusable configuration. */
    static final int PRECONDITION = 3;
    /** A bug or an unexpected environment failure. */
    static final int INTERNAL = 4;

    private ExitCode() {
    }
}
