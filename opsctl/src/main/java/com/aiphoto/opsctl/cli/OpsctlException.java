package com.aiphoto.opsctl.cli;

/** A failure a command reports to the operator as one line, with the exit code it should end with. */
public final class OpsctlException extends RuntimeException {
    private final int exitCode;
    /** What --json prints on stdout for this failure; null: {@link ErrorHandler}'s default document. */
    private final transient Object document;

    public OpsctlException(int exitCode, String message) {
        this(exitCode, message, null, null);
    }

    public OpsctlException(int exitCode, String message, Throwable cause) {
        this(exitCode, message, cause, null);
    }

    /** With the --json document that describes the failure (e.g. what finished before it). */
    public OpsctlException(int exitCode, String message, Throwable cause, Object document) {
        super(message, cause);
        this.exitCode = exitCode;
        this.document = document;
    }

    public Object document() {
        return document;
    }

    public int exitCode() {
        return exitCode;
    }
}
