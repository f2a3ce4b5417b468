package com.aiphoto.opsctl.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Destructive commands ask on a terminal and require --yes otherwise (cron, scripts, pipes): a missing answer
 * is a precondition failure (exit 3), never a silent yes.
 */
final class Confirmation {
    private Confirmation() {}

    static void require(boolean yes, String question) {
        if (yes) {
            return;
        }
        Console console = terminal();
        if (console == null) {
            throw new OpsctlException(
                    ExitCode.PRECONDITION,
                    "confirmation required: " + question + " Re-run with --yes (no terminal to ask on)");
        }
        String answer = console.readLine("%s [y/N] ", question);
        if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
            throw new OpsctlException(ExitCode.PRECONDITION, "not confirmed; nothing was changed");
        }
    }

    /**
     * The console when stdin and stdout are a terminal. From Java 22 System.console() is non-null for
     * redirected streams too; Console.isTerminal() (22+) tells them apart, and on 21 non-null means a terminal.
     */
    private static Console terminal() {
        Console c = System.console();
        if (c == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c) ? c : null;
        } catch (NoSuchMethodException e) {
            return c;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
