package com.aiphoto.opsctl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** POSIX permission checks for files that hold secrets (env file, private keys). */
public final class FileModes {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private FileModes() {}

    /**
     * The octal mode (e.g. "644") when group or others have any access; empty when the file is private or
     * the file system has no POSIX permissions (then there is nothing meaningful to check).
     */
    public static Optional<String> tooOpen(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return Optional.empty();
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().noneMatch(GROUP_OR_OTHERS::contains)) {
            return Optional.empty();
        }
        String rwx = PosixFilePermissions.toString(perms); // "rw-r-----": bit 8 (0400) first
        int mode = 0;
        for (int i = 0; i < rwx.length(); i++) {
            if (rwx.charAt(i) != '-') {
                mode |= 1 << (8 - i);
            }
        }
        return Optional.of(Integer.toOctalString(mode));
    }
}
