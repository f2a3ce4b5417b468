package com.aiphoto.opsctl.backup;

import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.opsctl.backup.TableChecksums.TableSum;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Per-table content digests of a dump, taken from the dump's own bytes as they stream through (checksum method
 * {@code dump-sha256-v1}): for each table, the SHA-256 of its data statements exactly as mariadb-dump wrote them
 * (every line of each {@code INSERT INTO ...} statement in the table's "-- Dumping data for table" section,
 * newlines included) and the number of row lines. Verify restores the backup, dumps the restored copy with the
 * same data options and digests it the same way: mariadb-dump writes rows in the clustered index's order (the
 * primary key; for a table without one, InnoDB's hidden row id, i.e. insertion order, which a restore keeps),
 * each row on its own line (strings escape their newlines), the same values the same way, so a faithful restore
 * gives the same bytes, and one changed, lost or added row changes its table's digest.
 * <p>
 * Why a hand-written scanner rather than a SQL parser: it only has to find line starts and ends (a row never
 * holds a raw newline) and hashes whole spans of the buffer; it never looks inside a row. The only state kept
 * across buffers is a line's first bytes outside data statements.
 * <p>
 * A dump tool that writes all of an INSERT's rows on the statement's line (Oracle's mysqldump) gets rows
 * {@code -1} (not counted) for that table; the digest is taken the same way.
 */
final class DumpDigests extends OutputStream {
    private static final byte[] DATA_MARKER = ascii("-- Dumping data for table ");
    private static final byte[] INSERT = ascii("INSERT INTO ");
    private static final byte[] UNLOCK = ascii("UNLOCK TABLES;");
    private static final byte[] COMMENT = ascii("-- ");
    private static final byte[] CONDITIONAL_DDL = ascii("/*!50003 ");
    private static final byte[] DELIMITER = ascii("DELIMITER ");
    private static final int PREFIX = 1024; // longer than any marker line (a table name is at most 64 characters)

    private enum State {
        /** Outside a table's data section. */
        OUTSIDE,
        /** In a "Dumping data for table" section, between statements. */
        SECTION,
        /** Inside an INSERT statement: hashing until a line ends with ';'. */
        INSERT
    }

    private static final class Table {
        final String name;
        final MessageDigest digest = BackupStore.sha256();
        long rows;
        boolean inline;

        Table(String name) {
            this.name = name;
        }
    }

    private final List<Table> tables = new ArrayList<>();
    private State state = State.OUTSIDE;
    private Table current;
    /** Outside INSERT statements: the current line's first bytes. */
    private final byte[] line = new byte[PREFIX];

    private int lineLength;
    /** Inside an INSERT statement: whether the statement's first line has ended, and the last byte seen. */
    private boolean pastHeader;

    private byte last;

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (state == State.INSERT) {
                i = insert(b, i, end);
            } else {
                byte c = b[i++];
                if (c == '\n') {
                    endOfLine();
                } else {
                    if (lineLength < PREFIX) {
                        line[lineLength] = c;
                    }
                    lineLength++;
                    if (state == State.SECTION && lineLength == INSERT.length && startsWith(INSERT)) {
                        state = State.INSERT; // the statement is hashed from its first byte
                        current.digest.update(INSERT);
                        pastHeader = false;
                        last = c;
                        lineLength = 0;
                    }
                }
            }
        }
    }

    /** Hashes the INSERT statement's bytes from {@code i}: returns where it ended, or {@code end}. */
    private int insert(byte[] b, int i, int end) {
        int start = i;
        Table t = current;
        while (true) {
            while (i < end && b[i] != '\n') {
                i++;
            }
            if (i == end) {
                break;
            }
            byte before = i > start ? b[i - 1] : last; // the line's last byte: ',' or ';' on a row line
            i++;
            if (pastHeader) {
                t.rows++;
            }
            if (before == ';') {
                if (!pastHeader) {
                    t.inline = true; // the rows were on the statement's own line
                }
                t.digest.update(b, start, i - start);
                state = State.SECTION;
                return i;
            }
            pastHeader = true;
            last = '\n';
        }
        if (end > start) {
            t.digest.update(b, start, end - start);
            last = b[end - 1];
        }
        return end;
    }

    private void endOfLine() {
        if (state == State.OUTSIDE) {
            if (startsWith(DATA_MARKER)) {
                current = new Table(tableName());
                tables.add(current);
                state = State.SECTION;
            }
        } else if (startsWith(UNLOCK) || startsWith(COMMENT) || startsWith(CONDITIONAL_DDL) || startsWith(DELIMITER)) {
            state = State.OUTSIDE;
            if (startsWith(DATA_MARKER)) { // a section without UNLOCK TABLES (e.g. --skip-add-locks)
                current = new Table(tableName());
                tables.add(current);
                state = State.SECTION;
            }
        }
        lineLength = 0;
    }

    private boolean startsWith(byte[] prefix) {
        return lineLength >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** From {@code -- Dumping data for table `a``b`}: {@code a`b}. */
    private String tableName() {
        String quoted = new String(
                        line,
                        DATA_MARKER.length,
                        Math.min(lineLength, PREFIX) - DATA_MARKER.length,
                        StandardCharsets.UTF_8)
                .strip();
        if (quoted.length() >= 2 && quoted.startsWith("`") && quoted.endsWith("`")) {
            return quoted.substring(1, quoted.length() - 1).replace("``", "`");
        }
        return quoted;
    }

    /** Every table that had a data section, in the dump's order, with its rows (-1: not counted) and digest. */
    List<TableSum> tables() {
        return tables.stream()
                .map(t -> new TableSum(
                        t.name, t.inline ? -1 : t.rows, HexFormat.of().formatHex(cloneDigest(t.digest))))
                .toList();
    }

    /** The digest so far, leaving the running one as it is. */
    private static byte[] cloneDigest(MessageDigest d) {
        try {
            return ((MessageDigest) d.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of this JDK cannot be cloned", e);
        }
    }

    /**
     * The digests of {@code database} as it is now: a data-only dump of it ({@link BackupCreator#dataArgs}, the
     * options that shape data lines being the backup's), streamed through a {@link DumpDigests} and discarded.
     * What verify and restore compare a restored copy with the manifest by.
     */
    static List<TableSum> of(DatabaseSettings db, String database, Path optionsDir)
            throws IOException, InterruptedException {
        MysqlClients.Tool tool = MysqlClients.dump();
        List<String> args = new ArrayList<>(BackupCreator.dataArgs(tool));
        args.addAll(List.of("--no-create-info", "--skip-triggers", database));
        DumpDigests digests = new DumpDigests();
        try (MysqlClients.Child dump = MysqlClients.start(tool, db, args, Redirect.PIPE, optionsDir)) {
            try (InputStream in = dump.process().getInputStream()) {
                in.transferTo(digests);
            }
            int code = dump.waitFor();
            if (code != 0) {
                throw new OpsctlException(
                        ExitCode.FAILED,
                        "dumping " + database + " to compare it failed: "
                                + tool.path().getFileName() + " exited with code " + code + ": "
                                + dump.lastError("no message"));
            }
        }
        return digests.tables();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
