package com.aiphoto.opsctl.secrets;

import com.aiphoto.opsctl.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(
        name = "secrets",
        description =
                "Generate the installation's secrets into its env file; re-encrypt stored credentials under a new key.",
        subcommands = {SecretsGenerateCommand.class, SecretsRotateKeyCommand.class})
public final class SecretsCommand extends GroupCommand {}
