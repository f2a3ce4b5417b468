package com.aiphoto.opsctl.cert;

import com.aiphoto.opsctl.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(
        name = "cert",
        description = "TLS certificates where nginx reads them: ACME init and renew, install, status.",
        subcommands = {CertInitCommand.class, CertRenewCommand.class, CertInstallCommand.class, CertStatusCommand.class
        })
public final class CertCommand extends GroupCommand {}
