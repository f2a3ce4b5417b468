import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Where backup create's Java time goes, per byte of SQL: the per-table digests of the data lines (DumpDigests,
 * checksum method dump-sha256-v1: line scan plus SHA-256 of the INSERT statements), MD5 alone, SHA-256 alone and
 * CRC32C alone over a dump file in 64 KiB buffers, as create feeds them (the DumpDigests step is skipped,
 * printed as -1, on builds without it). Run it with the JIT the
 * launcher uses (C1) and with C2, in the same minutes; prints the best of 3 per step:
 *   java -XX:TieredStopAtLevel=1 -cp opsctl/target/classes deploy/bench/BackupHashing.java dump.sql
 *   java -cp opsctl/target/classes deploy/bench/BackupHashing.java dump.sql
 */
public class BackupHashing {
    public static void main(String[] args) throws Exception {
        byte[] sql = Files.readAllBytes(Path.of(args[0]));
        java.lang.reflect.Constructor<?> parser = null;
        try {
            parser = Class.forName("com.aiphoto.opsctl.backup.DumpDigests").getDeclaredConstructor();
            parser.setAccessible(true); // package-private: the bench is not part of the build
        } catch (ClassNotFoundException e) {
            // not in this build: time the hashes only
        }
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        for (int run = 0; run < 3; run++) {
            OutputStream p = parser == null ? OutputStream.nullOutputStream() : (OutputStream) parser.newInstance();
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long t0 = System.nanoTime();
            feed(sql, (b, o, n) -> p.write(b, o, n));
            long t1 = System.nanoTime();
            feed(sql, md5::update);
            long t2 = System.nanoTime();
            feed(sql, sha::update);
            long t3 = System.nanoTime();
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            feed(sql, crc::update);
            long t4 = System.nanoTime();
            best[3] = Math.min(best[3], t4 - t3);
            best[0] = parser == null ? -1_000_000 : Math.min(best[0], t1 - t0);
            best[1] = Math.min(best[1], t2 - t1);
            best[2] = Math.min(best[2], t3 - t2);
        }
        System.out.printf(
                "%.1f MB of SQL, best of 3: DumpDigests %.0f ms, MD5 %.0f ms, SHA-256 %.0f ms, CRC32C %.0f ms%n",
                sql.length / 1e6, best[0] / 1e6, best[1] / 1e6, best[2] / 1e6, best[3] / 1e6);
    }

    interface Sink {
        void write(byte[] b, int off, int len) throws Exception;
    }

    private static void feed(byte[] sql, Sink sink) throws Exception {
        for (int i = 0; i < sql.length; i += 1 << 16) {
            sink.write(sql, i, Math.min(1 << 16, sql.length - i));
        }
    }
}
