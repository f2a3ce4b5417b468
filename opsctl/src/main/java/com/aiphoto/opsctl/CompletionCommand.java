package com.aiphoto.opsctl;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", description = {"Print a shell completion script.",
        "bash: source <(opsctl completion bash)", "zsh:  source <(opsctl completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    /** picocli's script is bash; zsh runs it through bashcompinit. */
    private static final String ZSH_PRELUDE = """
            #compdef opsctl
            # zsh: opsctl's completion is a bash script, loaded through bashcompinit
            autoload -U +X compinit && compinit
            autoload -U +X bashcompinit && bashcompinit
            """;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SHELL", defaultValue = "bash",
            description = "bash or zsh (default: ${DEFAULT-VALUE}).")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        spec.commandLine().getOut().print(shell == Shell.zsh ? ZSH_PRELUDE + script : script);
        return ExitCode.OK;
    }
}
