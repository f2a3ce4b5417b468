package com.aiphoto.opsctl.cli;

/** Process exit codes of ordinary commands (see the opsctl spec); check commands use {@link CheckStatus}. */
public final class ExitCode {
    public static final int OK = 0;
    /** The operation was attempted and failed. */
    public static final int FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** Precondition not met: lock held, nothing configured, confirmation missing, unusable configuration. */
    public static final int PRECONDITION = 3;
    /** A bug or an unexpected environment failure. */
    public static final int INTERNAL = 4;

    private ExitCode() {}
}
