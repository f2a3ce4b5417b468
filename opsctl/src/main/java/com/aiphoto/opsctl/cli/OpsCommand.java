package com.aiphoto.opsctl.cli;

import com.aiphoto.core.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every leaf command: the preamble they share (global options, settings, output streams, the
 * database) in one place, so a command's {@code call()} holds only what it does.
 */
public abstract class OpsCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected final Settings settings() {
        RootCommand root = RootCommand.of(spec);
        Settings s = root.settings();
        if (!reportsEnvFileMode()) {
            root.checkEnvFileMode(err());
        }
        return s;
    }

    /** Whether this command reports a readable env file itself (config check), instead of warning or refusing. */
    protected boolean reportsEnvFileMode() {
        return false;
    }

    /** --json: one JSON document on stdout. */
    protected final boolean json() {
        return RootCommand.of(spec).globals().json;
    }

    /** -v/--verbose: more detail. */
    protected final boolean verbose() {
        return RootCommand.of(spec).globals().verbose;
    }

    /** --quiet: only results and errors. */
    protected final boolean quiet() {
        return RootCommand.of(spec).globals().quiet;
    }

    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Opens the application database (exit 1 naming it when it does not answer); the caller closes it. */
    protected final OpsDatabase openDatabase() {
        return OpsDatabase.connect(settings());
    }
}
