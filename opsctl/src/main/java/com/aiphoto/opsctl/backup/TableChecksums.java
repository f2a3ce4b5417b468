package com.aiphoto.opsctl.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Per-table row counts and content checksums, as manifests record them, and their comparison. Backups since
 * {@code dump-sha256-v1} take them from the dump itself ({@link DumpDigests}); what follows is the first two
 * methods, which older manifests name and verify still recomputes for them: computed by the database in one
 * query per table. A row's
 * checksum is the first 64 bits of MD5 over an unambiguous encoding of its columns, and a table's is the sum of
 * its rows' modulo 2^64: independent of row order, so the original and a restored copy compare equal exactly
 * when their contents do. A change detector, not a cryptographic seal (the file's SHA-256 is that).
 * <p>
 * Two row encodings ({@link Method}); a manifest names the one its checksums used, verify recomputes with it.
 * Both are injective, so one changed row changes its row's MD5: v1 writes each column as {@code length:bytes}
 * (N for NULL); v2, the default, as {@code QUOTE(bytes)} (a quoted, escaped string, or the word NULL) joined by
 * commas: about half the server time of v1 (LENGTH and CONCAT per column cost more than the MD5).
 */
final class TableChecksums {
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(64);
    /** The savepoint a read in a transaction that must go on rolls back to, freeing its metadata lock. */
    static final String SAVEPOINT = "opsctl_table";

    record TableSum(@JsonProperty("name") String table, long rows, String checksum) {}

    /**
     * How the checksums were taken; {@code id} is what manifests record (absent: v1, the first format). V1 and
     * V2: by the database, rows encoded before MD5 (above); DUMP, the default since: from the dump's own data
     * lines as they stream through opsctl ({@link DumpDigests}), no query at all.
     */
    enum Method {
        V1("row-md5-v1"),
        V2("row-md5-v2"),
        DUMP("dump-sha256-v1");

        final String id;

        Method(String id) {
            this.id = id;
        }

        static Method of(String id) {
            if (id == null) {
                return V1;
            }
            for (Method m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown checksum method " + id + " (written by a newer opsctl)");
        }

        /** Whether the database computes these (V1, V2), rather than opsctl from a dump (DUMP). */
        boolean serverSide() {
            return this != DUMP;
        }

        String row(List<String> columns) {
            return switch (this) {
                case DUMP -> throw new IllegalStateException("dump-sha256-v1 is not computed by the server");
                case V1 ->
                    columns.stream()
                            .map(col -> "CAST(" + quote(col) + " AS BINARY)") // bytes: no collation clashes
                            .map(v -> "IFNULL(CONCAT(LENGTH(" + v + "), ':', " + v + "), 'N')")
                            .collect(Collectors.joining(", ", "CONCAT_WS('#', ", ")"));
                case V2 ->
                    columns.stream()
                            .map(col -> "QUOTE(CAST(" + quote(col) + " AS BINARY))")
                            .collect(Collectors.joining(", ", "CONCAT_WS(',', ", ")"));
            };
        }
    }

    private TableChecksums() {}

    /** The base tables (not views) of {@code database}, by name. */
    static List<String> baseTables(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
            ps.setString(1, database);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** The checksums of {@code tables} as the database computes them with a server-side {@code method}. */
    static List<TableSum> compute(Connection c, String database, List<String> tables, Method method)
            throws SQLException {
        Map<String, List<String>> columns = columns(c, database);
        List<TableSum> out = new ArrayList<>();
        for (String t : tables) {
            String row = method.row(columns.getOrDefault(t, List.of()));
            String sql = "SELECT COUNT(*), COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(" + row + "), 1, 16), 16, 10)"
                    + " AS UNSIGNED)), 0) FROM " + quote(database) + "." + quote(t);
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                BigInteger sum = new BigDecimal(rs.getString(2)).toBigInteger().mod(MOD);
                out.add(new TableSum(t, rs.getLong(1), String.format("%016x", sum)));
            }
        }
        return out;
    }

    /** What differs between the checksums recorded at backup time and those of a restored copy, per table. */
    static List<String> compare(List<TableSum> expected, List<TableSum> actual) {
        Map<String, TableSum> want = new TreeMap<>();
        expected.forEach(t -> want.put(t.table(), t));
        Map<String, TableSum> got = new TreeMap<>();
        actual.forEach(t -> got.put(t.table(), t));
        Set<String> names = new LinkedHashSet<>(want.keySet());
        names.addAll(got.keySet());
        List<String> problems = new ArrayList<>();
        for (String n : names) {
            TableSum w = want.get(n);
            TableSum g = got.get(n);
            if (g == null) {
                problems.add("table " + n + " is missing after the restore");
            } else if (w == null) {
                problems.add("table " + n + " appeared, but is not in the backup's manifest");
            } else if (w.rows() != g.rows()) {
                problems.add("table " + n + ": " + g.rows() + " rows, the manifest says " + w.rows());
            } else if (!w.checksum().equals(g.checksum())) {
                problems.add("table " + n + ": content checksum " + g.checksum() + ", the manifest says " + w.checksum()
                        + " (same row count, " + w.rows() + ")");
            }
        }
        return problems;
    }

    private static Map<String, List<String>> columns(Connection c, String database) throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name FROM information_schema.columns"
                + " WHERE table_schema = ? ORDER BY table_name, ordinal_position")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
