package com.aiphoto.opsctl.check;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** --nagios for check commands: one monitoring-plugin line instead of the table; excludes --json. */
final class NagiosOption {
    @Option(names = "--nagios", description = "Print one line 'SERVICE STATUS: text | perfdata' for monitoring.")
    boolean nagios;

    /** Whether --nagios was given; a usage error together with --json. */
    boolean on(CommandSpec spec, boolean json) {
        if (nagios && json) {
            throw new ParameterException(spec.commandLine(), "--json and --nagios cannot be combined");
        }
        return nagios;
    }
}
