package com.aiphoto.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Objects as files under {@code <DATA_DIR>/files}, for the embedded set-up (no COS_BUCKET). Clients reach them only
 * through the server's own {@code /files/<key>} URLs signed by {@link FileSignatures}. Writes go to a temporary
 * file beside the tree and are renamed into place when complete, so a refused or broken upload leaves nothing.
 */
public final class LocalStorage implements Storage {
    /** Path prefix of the server's file routes. */
    public static final String FILES_PATH = "/files/";

    /** An upload refused while it streamed in; nothing was written. */
    public static final class UploadRefusedException extends RuntimeException {
        private final boolean tooLarge;

        public UploadRefusedException(String message, boolean tooLarge) {
            super(message, null, false, false);
            this.tooLarge = tooLarge;
        }

        /** Refused for its length (413) rather than its content (400). */
        public boolean tooLarge() {
            return tooLarge;
        }
    }

    private final Path root;
    private final Path temp;
    private final String publicBase;
    private final FileSignatures signatures;

    /** @param publicBase the server's public base URL (API_DOMAIN), where {@code /files/} is served */
    public LocalStorage(Path dataDir, String publicBase, FileSignatures signatures) {
        this.root = dataDir.resolve("files").toAbsolutePath().normalize();
        this.temp = dataDir.resolve("files.tmp").toAbsolutePath().normalize();
        this.publicBase = publicBase.endsWith("/") ? publicBase.substring(0, publicBase.length() - 1) : publicBase;
        this.signatures = signatures;
    }

    public FileSignatures signatures() {
        return signatures;
    }

    /** The file of {@code key}; the key rule already excludes traversal, the prefix check is a second fence. */
    Path file(String key) {
        Path p = root.resolve(StorageKeys.require(key)).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("not a valid storage key");
        }
        return p;
    }

    @Override
    public void put(String key, byte[] data, String contentType) {
        write(key, new java.io.ByteArrayInputStream(data), Long.MAX_VALUE, head -> {}, true);
    }

    /**
     * Streams {@code in} into {@code key}: refused with {@link UploadRefusedException} (and nothing written) when it
     * is empty, longer than {@code maxLength}, or when {@code inspect} throws it on the first bytes (up to 16).
     * Never holds more than a small buffer in memory. Returns the length written.
     */
    public long receive(String key, InputStream in, long maxLength, Consumer<byte[]> inspect) {
        return write(key, in, maxLength, inspect, false);
    }

    private long write(String key, InputStream in, long maxLength, Consumer<byte[]> inspect, boolean allowEmpty) {
        Path target = file(key);
        Path part = null;
        try {
            Files.createDirectories(temp);
            part = temp.resolve(UUID.randomUUID() + ".part");
            long total = 0;
            byte[] head = new byte[16];
            int headLength = 0;
            try (OutputStream out = Files.newOutputStream(part)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total > maxLength) {
                        throw new UploadRefusedException("body larger than " + maxLength + " bytes", true);
                    }
                    if (headLength < head.length) {
                        int take = Math.min(n, head.length - headLength);
                        System.arraycopy(buf, 0, head, headLength, take);
                        headLength += take;
                        if (headLength == head.length) {
                            inspect.accept(head.clone());
                        }
                    }
                    out.write(buf, 0, n);
                }
            }
            if (total == 0 && !allowEmpty) {
                throw new UploadRefusedException("empty body", false);
            }
            if (headLength < head.length) {
                inspect.accept(Arrays.copyOf(head, headLength));
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            part = null;
            return total;
        } catch (IOException e) {
            throw new StorageException("write failed", e);
        } finally {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    // a leftover .part file is harmless: it never becomes an object
                }
            }
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(file(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("read failed", e);
        }
    }

    /** The open file for streaming it to a client, or empty; the caller closes it. */
    public Optional<InputStream> open(String key) {
        Path f = file(key);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.newInputStream(f));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("read failed", e);
        }
    }

    @Override
    public Optional<byte[]> head(String key, int n) {
        return open(key).map(in -> {
            try (in) {
                return in.readNBytes(n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Path f = file(key);
        try {
            return Files.isRegularFile(f)
                    ? Optional.of(new ObjectInfo(Files.size(f), contentType(key)))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("stat failed", e);
        }
    }

    @Override
    public boolean copy(String from, String to) {
        file(to);
        Optional<InputStream> in = open(from);
        if (in.isEmpty()) {
            return false;
        }
        try (InputStream s = in.get()) {
            write(to, s, Long.MAX_VALUE, head -> {}, true);
            return true;
        } catch (IOException e) {
            throw new StorageException("copy failed", e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw new StorageException("delete failed", e);
        }
    }

    @Override
    public PresignedRequest presignPut(String key, String contentType, long maxLength, Duration ttl) {
        StorageKeys.require(key);
        Instant expires = expiry(ttl);
        FileSignatures.Grant g = new FileSignatures.Grant("PUT", key, expires.getEpochSecond(), contentType, maxLength);
        URI url = URI.create(publicBase + FILES_PATH + key + "?expires=" + g.expires() + "&type="
                + URLEncoder.encode(contentType, StandardCharsets.UTF_8) + "&max=" + maxLength + "&sig="
                + signatures.sign(g));
        return new PresignedRequest(url, "PUT", Map.of("Content-Type", contentType), expires);
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
        StorageKeys.require(key);
        FileSignatures.Grant g =
                new FileSignatures.Grant("GET", key, expiry(ttl).getEpochSecond(), "", 0);
        return URI.create(publicBase + FILES_PATH + key + "?expires=" + g.expires() + "&sig=" + signatures.sign(g));
    }

    private Instant expiry(Duration ttl) {
        return signatures.clock().instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** The type a file is served with, from its extension (uploads were sniffed against it). */
    public static String contentType(String key) {
        return ImageTypes.byName(key).map(ImageTypes::contentType).orElse("application/octet-stream");
    }
}
