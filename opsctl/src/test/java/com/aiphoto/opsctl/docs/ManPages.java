package com.aiphoto.opsctl.docs;

import com.aiphoto.opsctl.Opsctl;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes one AsciiDoc man page per opsctl command (hidden ones excepted) from the picocli annotations, with
 * picocli-codegen's generator. The build runs it after compiling the tests (opsctl's pom), and the build turns
 * the pages into troff where asciidoctor is installed; {@code ManPagesTest} checks what they are made from.
 */
public final class ManPages {
    private ManPages() {}

    public static void main(String... args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTPUT_DIR");
        }
        File dir = new File(args[0]);
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException("cannot create " + dir);
        }
        int rc = ManPageGenerator.generateManPage(
                dir, null, new boolean[0], true, commands().toArray(CommandSpec[]::new));
        if (rc != 0) {
            throw new IOException("ManPageGenerator exited with " + rc);
        }
    }

    /** The root command and every visible subcommand, depth first. */
    static List<CommandSpec> commands() {
        List<CommandSpec> out = new ArrayList<>();
        collect(new Opsctl(Map.of(), List.of()).commandLine().getCommandSpec(), out);
        return out;
    }

    private static void collect(CommandSpec spec, List<CommandSpec> out) {
        out.add(spec);
        for (CommandLine sub : new java.util.LinkedHashSet<>(spec.subcommands().values())) {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                collect(sub.getCommandSpec(), out);
            }
        }
    }
}
