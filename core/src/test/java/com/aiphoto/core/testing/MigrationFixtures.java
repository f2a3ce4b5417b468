package com.aiphoto.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The engine's fixture migration sets ({@code db/engine/<set>/up} and {@code down} in core's test resources,
 * shipped in its test-jar): {@code basic} (three migrations, MySQL and H2), {@code failing} (its V2 fails at
 * statement 2), {@code nodown} (V2 has no down script), {@code slow} (MySQL only: sleeps 3 s holding the lock).
 */
public final class MigrationFixtures {
    private MigrationFixtures() {}

    /** Flyway location of a set's up scripts. */
    public static String location(String set) {
        return "classpath:db/engine/" + set + "/up";
    }

    /** Copies a set to {@code target} as {@code up/} and {@code down/}, for tests that edit the files. */
    public static Path copy(String set, Path target) {
        String base = "db/engine/" + set;
        URL url = MigrationFixtures.class.getClassLoader().getResource(base);
        if (url == null) {
            throw new IllegalArgumentException("no fixture set " + set);
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = jarFileSystem(uri)) {
                    copyTree(fs.getPath("/" + base), target);
                }
            } else {
                copyTree(Path.of(uri), target);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FileSystem jarFileSystem(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            throw new IllegalStateException("jar file system already open: " + uri, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path dest = to.resolve(from.relativize(f).toString());
            Files.createDirectories(dest.getParent());
            Files.copy(f, dest);
        }
    }
}
