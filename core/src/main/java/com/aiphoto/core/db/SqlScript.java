package com.aiphoto.core.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A migration script cut into statements, so that they run (and their progress is recorded) one at a time:
 * MySQL commits every DDL statement on its own, so a script is never atomic and a failure has to be located to
 * the statement. Understands quotes ('', "", ``), comments (--, #, /* *&#47;) and the client's {@code DELIMITER}
 * directive for bodies that contain semicolons (triggers, procedures). {@code /*! ... *&#47;} version comments
 * stay in the statement, as MySQL executes them.
 */
public record SqlScript(List<Statement> statements) {

    /** One statement: its 1-based number, the line it starts on, and its text without the delimiter. */
    public record Statement(int number, int line, String sql) {
        /** Data statements (DML, and CALL, which may run some): undoing one that never ran corrupts data. */
        private static final Pattern CHANGES_DATA = Pattern.compile(
                "^[\\s(]*(INSERT|UPDATE|DELETE|REPLACE|MERGE|LOAD|CALL|WITH)\\b", Pattern.CASE_INSENSITIVE);

        public boolean changesData() {
            return CHANGES_DATA.matcher(sql).find();
        }

        /** The statement on one line and cut short, for messages. */
        public String excerpt(int max) {
            String flat = sql.replaceAll("\\s+", " ").strip();
            return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
        }
    }

    public int size() {
        return statements.size();
    }

    public static SqlScript parse(String text) {
        return new Splitter(text.startsWith("\uFEFF") ? text.substring(1) : text).split();
    }

    /**
     * A digest of the first {@code count} statements. A failed migration records it for the part that ran, so a
     * re-run skips that part only if the file still says the same there.
     */
    public String digest(int count) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Statement s : statements.subList(0, Math.min(count, statements.size()))) {
                md.update(s.sql().strip().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Splitter {
        private final String s;
        private final List<Statement> out = new ArrayList<>();
        private final StringBuilder current = new StringBuilder();
        private String delimiter = ";";
        private int i;
        private int line = 1;
        private int startLine = -1;

        Splitter(String s) {
            this.s = s;
        }

        SqlScript split() {
            while (i < s.length()) {
                if (atLineStart() && directive()) {
                    continue;
                }
                char c = s.charAt(i);
                if (s.startsWith(delimiter, i)) {
                    i += delimiter.length();
                    finish();
                } else if (c == '\'' || c == '"' || c == '`') {
                    quoted(c);
                } else if (c == '#'
                        || (c == '-'
                                && s.startsWith("--", i)
                                && (i + 2 >= s.length() || Character.isWhitespace(s.charAt(i + 2))))) {
                    skipLine();
                } else if (c == '/' && s.startsWith("/*", i) && !s.startsWith("/*!", i)) {
                    blockComment();
                } else {
                    take(1);
                }
            }
            finish();
            return new SqlScript(List.copyOf(out));
        }

        /** DELIMITER is a client command, only at the start of a line outside a statement's quotes. */
        private boolean directive() {
            int end = s.indexOf('\n', i);
            String l = s.substring(i, end < 0 ? s.length() : end).strip();
            if (!l.regionMatches(true, 0, "DELIMITER ", 0, 10) && !l.regionMatches(true, 0, "DELIMITER\t", 0, 10)) {
                return false;
            }
            finish();
            delimiter = l.substring(10).strip();
            if (delimiter.isEmpty()) {
                throw new IllegalArgumentException("line " + line + ": DELIMITER without a delimiter");
            }
            i = end < 0 ? s.length() : end;
            return true;
        }

        /** Outside a statement, with only blanks before {@code i} on its line. */
        private boolean atLineStart() {
            if (!current.toString().isBlank()) {
                return false;
            }
            for (int j = i - 1; j >= 0 && s.charAt(j) != '\n'; j--) {
                if (!Character.isWhitespace(s.charAt(j))) {
                    return false;
                }
            }
            return true;
        }

        private void quoted(char q) {
            take(1);
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\' && q != '`' && i + 1 < s.length()) {
                    take(2);
                } else if (c == q && i + 1 < s.length() && s.charAt(i + 1) == q) {
                    take(2);
                } else if (c == q) {
                    take(1);
                    return;
                } else {
                    take(1);
                }
            }
            throw new IllegalArgumentException("line " + startLine + ": unterminated " + q + " quote");
        }

        private void skipLine() {
            while (i < s.length() && s.charAt(i) != '\n') {
                i++;
            }
        }

        private void blockComment() {
            int end = s.indexOf("*/", i + 2);
            if (end < 0) {
                throw new IllegalArgumentException("line " + line + ": unterminated /* comment");
            }
            for (int j = i; j < end + 2; j++) {
                if (s.charAt(j) == '\n') {
                    line++;
                }
            }
            i = end + 2;
            current.append(' ');
        }

        private void take(int n) {
            for (int k = 0; k < n && i < s.length(); k++) {
                char c = s.charAt(i++);
                if (startLine < 0 && !Character.isWhitespace(c)) {
                    startLine = line;
                }
                if (c == '\n') {
                    line++;
                }
                current.append(c);
            }
        }

        private void finish() {
            String sql = current.toString().strip();
            if (!sql.isEmpty()) {
                out.add(new Statement(out.size() + 1, startLine, sql));
            }
            current.setLength(0);
            startLine = -1;
        }
    }
}
