package com.aiphoto.core.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the up scripts (a Flyway location) and their down scripts are. A down script has the up script's name
 * in the sibling folder {@code down}: {@code classpath:db/migration} pairs with {@code classpath:db/down} (the
 * migrations jar), {@code filesystem:/x/migrations/up} with {@code /x/migrations/down}. Flyway scans locations
 * recursively, so the down scripts must not live below the up location.
 */
public record MigrationScripts(String upLocation, String downLocation, ClassLoader classLoader) {
    private static final String CLASSPATH = "classpath:";
    private static final String FILESYSTEM = "filesystem:";

    public static MigrationScripts at(String location) {
        String normalized = location.contains(":") ? location : CLASSPATH + location;
        String path = stripPrefix(normalized);
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = trimmed.lastIndexOf('/');
        String down = (slash < 0 ? "" : trimmed.substring(0, slash + 1)) + "down";
        return new MigrationScripts(normalized, prefix(normalized) + down, MigrationScripts.class.getClassLoader());
    }

    /**
     * A migrations folder from the command line: {@code DIR} with {@code up/} and {@code down/} below it (the
     * repository's {@code migrations/}), or an up folder itself.
     */
    public static MigrationScripts directory(Path dir) {
        Path up = Files.isDirectory(dir.resolve("up")) ? dir.resolve("up") : dir;
        return at(FILESYSTEM + up.toAbsolutePath().normalize());
    }

    public boolean filesystem() {
        return upLocation.startsWith(FILESYSTEM);
    }

    /** The text of an up script, {@code script} being Flyway's path relative to the location. */
    public String up(String script) {
        return read(upLocation, script)
                .orElseThrow(() ->
                        new IllegalStateException("migration script " + script + " disappeared from " + upLocation));
    }

    public Optional<String> down(String script) {
        return read(downLocation, script);
    }

    public String describeDown(String script) {
        return stripPrefix(downLocation) + "/" + script;
    }

    private Optional<String> read(String location, String script) {
        String base = stripPrefix(location);
        try {
            if (location.startsWith(FILESYSTEM)) {
                Path p = Path.of(base, script);
                return Files.isRegularFile(p)
                        ? Optional.of(Files.readString(p, StandardCharsets.UTF_8))
                        : Optional.empty();
            }
            String resource = (base.startsWith("/") ? base.substring(1) : base) + "/" + script;
            try (InputStream in = classLoader.getResourceAsStream(resource)) {
                return in == null
                        ? Optional.empty()
                        : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + base + "/" + script, e);
        }
    }

    private static String prefix(String location) {
        return location.substring(0, location.indexOf(':') + 1);
    }

    private static String stripPrefix(String location) {
        return location.substring(location.indexOf(':') + 1);
    }
}
