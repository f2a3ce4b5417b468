package com.aiphoto.opsctl.cli;

import picocli.CommandLine.Option;

/** --yes for destructive commands: without it they ask on a terminal, and refuse (exit 3) elsewhere. */
public final class YesOption {
    @Option(names = "--yes", description = "Do not ask for confirmation (required when not on a terminal).")
    public boolean yes;

    public void confirm(String question) {
        Confirmation.require(yes, question);
    }
}
