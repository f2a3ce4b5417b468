package com.aiphoto.opsctl;

/** A failure a command reports to the operator as one line, with the exit code it should end with. */
final class OpsctlException extends RuntimeException {
    private final int exitCode;

    OpsctlException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    OpsctlException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
