package com.aiphoto.opsctl.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a small file so that a crash or a full disk leaves the old file or the new one, never a part: a temp
 * file beside it (created 0600, so a secret is never readable by others, not even for an instant), written and
 * fsynced, given its final mode, renamed over the target, and the directory fsynced. The one way opsctl writes
 * keys, certificates, env files and state files.
 */
public final class AtomicFile {
    /** What to do to the finished temp file before it replaces the target (e.g. keep the original's owner). */
    @FunctionalInterface
    public interface Prepare {
        void accept(Path tmp) throws IOException;
    }

    private AtomicFile() {}

    /** {@code mode}: the final POSIX mode, e.g. {@code rw-------} or {@code rw-r--r--} (ignored without POSIX). */
    public static void write(Path target, byte[] bytes, String mode) throws IOException {
        write(target, bytes, mode, tmp -> {});
    }

    public static void write(Path target, byte[] bytes, String mode, Prepare prepare) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        Files.deleteIfExists(tmp);
        if (posix) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try {
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (posix && !"rw-------".equals(mode)) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
            }
            prepare.accept(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp); // a full disk must not leave a temp file beside the target
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself survives a crash
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }
}
