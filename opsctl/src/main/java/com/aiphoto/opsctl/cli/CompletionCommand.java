package com.aiphoto.opsctl.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "completion",
        description = {
            "Print a shell completion script.",
            "bash: source <(opsctl completion bash)",
            "zsh:  source <(opsctl completion zsh)"
        })
public final class CompletionCommand extends OpsCommand {
    enum Shell {
        bash,
        zsh
    }

    /** picocli's script is bash; zsh runs it through bashcompinit. */
    private static final String ZSH_PRELUDE = """
            #compdef opsctl
            # zsh: opsctl's completion is a bash script, loaded through bashcompinit
            autoload -U +X compinit && compinit
            autoload -U +X bashcompinit && bashcompinit
            """;

    @Parameters(
            arity = "0..1",
            paramLabel = "SHELL",
            defaultValue = "bash",
            description = "bash or zsh (default: ${DEFAULT-VALUE}).")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        out().print(shell == Shell.zsh ? ZSH_PRELUDE + script : script);
        return ExitCode.OK;
    }
}
