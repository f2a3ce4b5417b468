package com.aiphoto.opsctl.backup;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import com.github.luben.zstd.util.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** How a backup's SQL is compressed, in-process: zstd (native, via zstd-jni), gzip (JDK), or not at all. */
enum Compression {
    zstd(".sql.zst"),
    gzip(".sql.gz"),
    none(".sql");

    /**
     * Chosen by measurement (deploy/bench/backup.sh, zstd -b1 -e6 on a dump of 100k users + 200k refresh
     * tokens): on dumps dominated by random token hashes level 1 is both the smallest of levels 1-6 (17.4 MB
     * against 18.3 MB at the default level 3, from 54 MB of SQL) and about 4x faster, so compression never
     * sets the pace; the dump does (target: backup wall time within 1.1 x a plain mariadb-dump).
     */
    private static final int ZSTD_LEVEL = 1;

    /**
     * One zstd worker thread (as the zstd CLI's default {@code -T1}): compression runs beside the thread that drains
     * the dump's pipe, which then only copies into zstd's job buffer, so the dump is not held up while a buffer
     * compresses. Same frame format and, on this data, the same size as compressing in the calling thread.
     */
    private static final int ZSTD_WORKERS = 1;

    final String extension;

    Compression(String extension) {
        this.extension = extension;
    }

    /** zstd when its native library loads here; gzip otherwise (an unusual platform), which always works. */
    Compression orFallback() {
        if (this != zstd) {
            return this;
        }
        try {
            Native.load();
            return zstd;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return gzip;
        }
    }

    OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case zstd -> new ZstdOutputStream(out, ZSTD_LEVEL).setWorkers(ZSTD_WORKERS);
            case gzip -> new GZIPOutputStream(out, 1 << 16);
            case none -> out;
        };
    }

    InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case zstd -> new ZstdInputStream(in);
            case gzip -> new GZIPInputStream(in, 1 << 16);
            case none -> in;
        };
    }

    static Compression ofFile(String fileName) {
        for (Compression c : values()) {
            if (fileName.endsWith(c.extension)) {
                return c;
            }
        }
        throw new IllegalArgumentException("not a backup file name: " + fileName);
    }
}
