package com.aiphoto.opsctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher (target/opsctl, after package) runs the backup commands that hash a whole dump with the
 * full tiered JIT (C1 has no SHA-256 intrinsic) and every other command C1 only, and JAVA_OPTS still wins.
 */
class LauncherJitIT {
    private static final Pattern LEVEL = Pattern.compile("intx TieredStopAtLevel\\s+= (\\d+)");

    @TempDir
    Path dir;

    @Test
    void backupCreateVerifyAndRestoreRunWithC2TheRestWithC1() throws Exception {
        Map<String, Integer> expected = Map.of(
                "--version", 1,
                "backup list --help", 1,
                "backup --help", 1,
                "backup create --help", 4,
                "-q backup verify --help", 4,
                "backup restore --help", 4);
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), level(e.getKey(), ""), e.getKey());
        }
        assertEquals(1, level("backup create --help", "-XX:TieredStopAtLevel=1"), "JAVA_OPTS comes last");
    }

    /** The TieredStopAtLevel the launcher's JVM ran with, as -XX:+PrintFlagsFinal reports it. */
    private int level(String args, String javaOpts) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(Path.of("target/opsctl").toAbsolutePath().toString()));
        command.addAll(List.of(args.split(" ")));
        Path out = dir.resolve("out.txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        // no class-data archive: nothing written beside the jar, no training run
        pb.environment().put("AI_PHOTO_CDS", "off");
        pb.environment().put("JAVA_OPTS", ("-XX:+PrintFlagsFinal " + javaOpts).trim());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), args + ": still running");
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        Matcher m = LEVEL.matcher(text);
        assertTrue(m.find(), text);
        return Integer.parseInt(m.group(1));
    }
}
