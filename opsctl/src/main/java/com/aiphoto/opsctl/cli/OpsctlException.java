package com.aiphoto.opsctl.cli;

/** A failure a command reports to the operator as one line, with the exit code it should end with. */
public final class OpsctlException extends RuntimeException {
    private final int exitCode;

    public OpsctlException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public OpsctlException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
