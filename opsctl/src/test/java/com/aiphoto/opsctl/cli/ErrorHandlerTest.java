package com.aiphoto.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.opsctl.Opsctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ErrorHandlerTest {
    private final StringWriter err = new StringWriter();

    private int handle(Exception e, boolean verbose) {
        CommandLine cl = new CommandLine(new Opsctl(Map.of(), List.of())).setErr(new PrintWriter(err, true));
        return new ErrorHandler(() -> verbose).handleExecutionException(e, cl, null);
    }

    @Test
    void everyErrorLineIsRedactedStackTracesToo() {
        CommandLine cl = new CommandLine(new Opsctl(Map.of(), List.of())).setErr(new PrintWriter(err, true));
        ErrorHandler h = new ErrorHandler(() -> true, s -> s.replace("hunter2", "****"));
        assertEquals(
                ExitCode.FAILED,
                h.handleExecutionException(
                        new OpsctlException(ExitCode.FAILED, "mariadb-dump said: password hunter2 rejected"),
                        cl,
                        null));
        assertTrue(err.toString().startsWith("opsctl: mariadb-dump said: password **** rejected\n"), err.toString());
        assertTrue(err.toString().contains("\tat "), "the -v stack trace is printed");
        assertFalse(err.toString().contains("hunter2"), err.toString());
    }

    @Test
    void opsctlExceptionKeepsItsExitCode() {
        assertEquals(
                ExitCode.PRECONDITION, handle(new OpsctlException(ExitCode.PRECONDITION, "lock held by x"), false));
        assertEquals("opsctl: lock held by x\n", err.toString());
    }

    @Test
    void configExceptionListsEveryProblem() {
        assertEquals(ExitCode.PRECONDITION, handle(new ConfigException(List.of("A is wrong", "B is wrong")), false));
        assertTrue(err.toString().contains("A is wrong") && err.toString().contains("B is wrong"), err.toString());
    }

    @Test
    void unexpectedExceptionIsInternalWithoutItsMessage() {
        int code = handle(new IllegalStateException("jdbc://user:hunter2@db"), false);
        assertEquals(ExitCode.INTERNAL, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertFalse(err.toString().contains("hunter2"), err.toString());
    }

    @Test
    void verboseAddsTheStackTrace() {
        handle(new IllegalStateException("boom"), true);
        assertTrue(err.toString().contains("at com.aiphoto.opsctl.cli.ErrorHandlerTest"), err.toString());
    }
}
