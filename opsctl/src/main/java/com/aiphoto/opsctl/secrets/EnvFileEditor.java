package com.aiphoto.opsctl.secrets;

import com.aiphoto.opsctl.cli.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets values in a dotenv file without touching anything else: every other byte (comments, blank lines, order,
 * line endings, quotes, inline comments) stays as it was. It understands the lines {@link
 * com.aiphoto.core.config.EnvFile} reads; a value is replaced in place, a commented-out {@code #KEY=} line is
 * uncommented where it stands, and a key the file lacks is appended.
 */
final class EnvFileEditor {
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^(\\uFEFF?\\s*(?:export\\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\\s*=\\s*)(.*)$");
    private static final Pattern COMMENTED = Pattern.compile("^\\s*#\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=.*$");
    private static final Pattern INLINE_COMMENT = Pattern.compile("\\s+#.*$");

    /** How a key got its value. */
    enum Action {
        REPLACED,
        UNCOMMENTED,
        APPENDED
    }

    /** One line: its text without terminator, and the terminator ("\n", "\r\n" or "" on a last line). */
    private record Line(String text, String end) {}

    private final List<Line> lines;

    private EnvFileEditor(List<Line> lines) {
        this.lines = lines;
    }

    static EnvFileEditor parse(String text) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                lines.add(new Line(text.substring(start), ""));
                break;
            }
            int contentEnd = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            lines.add(new Line(text.substring(start, contentEnd), text.substring(contentEnd, nl + 1)));
            start = nl + 1;
        }
        return new EnvFileEditor(lines);
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.text()).append(l.end()));
        return sb.toString();
    }

    /** The value the last assignment of {@code key} gives, unquoted as EnvFile reads it; empty when none does. */
    Optional<String> value(String key) {
        int i = lastAssignment(key);
        return i < 0
                ? Optional.empty()
                : Optional.of(parts(lines.get(i).text()).value().strip());
    }

    /** Sets {@code key} to {@code value} (which must need no quoting) and says how. */
    Action set(String key, String value) {
        int i = lastAssignment(key);
        if (i >= 0) {
            Parts p = parts(lines.get(i).text());
            lines.set(i, new Line(p.prefix() + value + p.suffix(), lines.get(i).end()));
            return Action.REPLACED;
        }
        for (int j = 0; j < lines.size(); j++) {
            Matcher m = COMMENTED.matcher(lines.get(j).text());
            if (m.matches() && m.group(1).equals(key)) {
                lines.set(j, new Line(key + "=" + value, lines.get(j).end()));
                return Action.UNCOMMENTED;
            }
        }
        if (!lines.isEmpty() && lines.getLast().end().isEmpty()) {
            Line last = lines.getLast();
            lines.set(lines.size() - 1, new Line(last.text(), newline()));
        }
        lines.add(new Line(key + "=" + value, newline()));
        return Action.APPENDED;
    }

    /** The file's own line ending, so a CRLF file stays CRLF. */
    private String newline() {
        return lines.stream()
                .map(Line::end)
                .filter(e -> !e.isEmpty())
                .findFirst()
                .orElse("\n");
    }

    private int lastAssignment(String key) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = ASSIGNMENT.matcher(lines.get(i).text());
            if (m.matches() && m.group(2).equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** An assignment split into what stays before the value, the value, and what stays after it. */
    private record Parts(String prefix, String value, String suffix) {}

    private static Parts parts(String line) {
        Matcher m = ASSIGNMENT.matcher(line);
        if (!m.matches()) {
            throw new IllegalStateException("not an assignment");
        }
        String head = m.group(1) + m.group(2) + m.group(3);
        String rest = m.group(4);
        if (rest.startsWith("\"") || rest.startsWith("'")) {
            int end = rest.indexOf(rest.charAt(0), 1);
            if (end > 0) {
                return new Parts(head + rest.charAt(0), rest.substring(1, end), rest.substring(end));
            }
        }
        Matcher c = INLINE_COMMENT.matcher(rest);
        int cut = c.find() ? c.start() : rest.length();
        String value = rest.substring(0, cut);
        String trimmed = value.stripTrailing();
        return new Parts(head, trimmed, value.substring(trimmed.length()) + rest.substring(cut));
    }

    /**
     * Replaces {@code file} with {@code text} atomically: a 0600 temporary file in the same directory, written and
     * fsynced, given the original's owner and group, renamed over it, and the directory fsynced, so a crash
     * leaves the old file or the new one, never a part, and the secrets are never readable by others.
     */
    static void writeAtomically(Path file, String text) throws IOException {
        Path target = file.toRealPath(); // replace a symlink's target, not the symlink
        boolean posix = Files.getFileStore(target).supportsFileAttributeView(PosixFileAttributeView.class);
        AtomicFile.write(target, text.getBytes(StandardCharsets.UTF_8), "rw-------", tmp -> {
            if (posix) {
                keepOwner(target, tmp);
            }
        });
    }

    /** Sets the mode of {@code file} to 0600 (no-op without POSIX modes). */
    static void restrict(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** The server's user must still be able to read its env file after root rewrote it (the .deb's postinst). */
    private static void keepOwner(Path original, Path tmp) throws IOException {
        PosixFileAttributes was = Files.readAttributes(original, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes now = Files.readAttributes(tmp, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!was.owner().equals(now.owner())) {
            Files.setOwner(tmp, was.owner());
        }
        GroupPrincipal group = was.group();
        if (!group.equals(now.group())) {
            Files.getFileAttributeView(tmp, PosixFileAttributeView.class).setGroup(group);
        }
    }
}
