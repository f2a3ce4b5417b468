package com.aiphoto.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a dotenv file as the old Node service's operators wrote them: {@code KEY=value}, optional
 * {@code export }, {@code #} comments, single or double quotes, inline {@code  # comment} after unquoted values.
 */
public final class EnvFile {
    /** {@code #} after whitespace starts a comment in an unquoted value; {@code pass#word} keeps its hash. */
    private static final Pattern INLINE_COMMENT = Pattern.compile("\\s#.*$");

    private EnvFile() {}

    /** Parses {@code file}; a line that is not an assignment is reported with its number. */
    public static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read env file " + file + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new ConfigException("cannot read env file " + file + ": not UTF-8 text");
        }
        return parse(lines, file.toString());
    }

    static Map<String, String> parse(List<String> lines, String name) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) { // byte order mark from Windows editors
                line = line.substring(1);
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            String key = eq > 0 ? line.substring(0, eq).strip() : "";
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ConfigException(name + " line " + (i + 1) + ": expected KEY=value");
            }
            values.put(key, unquote(line.substring(eq + 1).strip(), name, i + 1));
        }
        return values;
    }

    private static String unquote(String raw, String name, int lineNo) {
        if (raw.startsWith("\"") || raw.startsWith("'")) {
            char quote = raw.charAt(0);
            int end = raw.indexOf(quote, 1);
            if (end < 0) {
                throw new ConfigException(name + " line " + lineNo + ": unterminated quote");
            }
            String inner = raw.substring(1, end);
            return quote == '"' ? inner.replace("\\n", "\n") : inner;
        }
        return INLINE_COMMENT.matcher(raw).replaceFirst("").strip();
    }
}
