package com.aiphoto.opsctl.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server's three logs (see the server's {@code platform/Logging}): {@code <name>.log} is written now, and
 * rolled files are {@code <name>.<yyyy-MM-dd>.<i>.log.gz}, oldest date and index first. While logback compresses
 * a rolled file it keeps the raw text under {@code <name>.<date>.<i>.log<nanos>} (and writes the .gz beside it):
 * that raw copy is complete, so it is read instead of the half-written .gz. The order here is also the tie-break
 * of lines with the same time.
 */
enum LogSource {
    COMBINED("combined"),
    ACCESS("access"),
    ERROR("error");

    final String base;
    private final Pattern rolled;

    LogSource(String base) {
        this.base = base;
        this.rolled = Pattern.compile(
                Pattern.quote(base) + "\\.(\\d{4}-\\d{2}-\\d{2})\\.(\\d+)\\.log(\\.gz|\\d+(?:\\.tmp)?)?");
    }

    Path active(Path dir) {
        return dir.resolve(base + ".log");
    }

    /** The rolled files, oldest first (the active file is not among them). */
    List<Path> rolled(Path dir) throws IOException {
        // (date, index) -> the file to read for that part
        Map<String, Path> parts = new TreeMap<>(Comparator.comparing((String k) -> k.substring(0, 10))
                .thenComparingLong(k -> Long.parseLong(k.substring(11))));
        List<Path> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(names::add);
        }
        for (Path p : names) {
            Matcher m = rolled.matcher(p.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1) + "." + m.group(2);
            boolean raw = m.group(3) != null && !m.group(3).equals(".gz");
            Path before = parts.get(key);
            if (before == null || raw) {
                parts.put(key, p);
            }
        }
        return List.copyOf(parts.values());
    }

    static boolean compressed(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }
}
