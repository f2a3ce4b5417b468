package com.aiphoto.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.aiphoto.testing.FakeCos;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link CosObjectStorage} through the real SDK against the fake COS, which checks every signature. */
class CosObjectStorageTest extends StorageContract {
    private static final String ID = "AKIDmediatest";
    private static final String KEY = "media-test-secret-key-0123456789";
    private final FakeCos cos = new FakeCos(ID, KEY);
    private final HttpClient http = HttpClient.newHttpClient();
    private CosObjectStorage storage;

    @Override
    Storage storage() {
        if (storage == null) {
            storage = storage(KEY, Clock.systemUTC());
        }
        return storage;
    }

    private CosObjectStorage storage(String secretKey, Clock clock) {
        return new CosObjectStorage(
                new CosStorage("media-1250000000", "ap-guangzhou", ID, secretKey, Optional.of(cos.endpoint())), clock);
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
        cos.close();
    }

    @Override
    void afterRefusedKeys() {
        assertEquals(List.of(), cos.log());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest.Builder put(Storage.PresignedRequest p, String type, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(p.url()).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        return b.header("Content-Type", type);
    }

    @Test
    void aPresignedPutStoresExactlyTheSignedTypeAndLengthAndAPresignedGetReadsIt() throws Exception {
        byte[] body = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3};
        Storage.PresignedRequest p =
                storage().presignPut("input/5/20260101/x.jpg", "image/jpeg", body.length, Duration.ofMinutes(15));
        assertEquals(java.util.Map.of("Content-Type", "image/jpeg"), p.headers());
        // another type, another length, a tampered signature: COS refuses, nothing stored
        assertEquals(403, send(put(p, "image/png", body)).statusCode());
        assertEquals(403, send(put(p, "image/jpeg", new byte[body.length + 1])).statusCode());
        String u = p.url().toString();
        int at = u.indexOf("q-signature=") + "q-signature=".length();
        URI tampered = URI.create(u.substring(0, at) + (u.charAt(at) == '0' ? '1' : '0') + u.substring(at + 1));
        assertFalse(tampered.equals(p.url()));
        assertEquals(
                403,
                send(HttpRequest.newBuilder(tampered)
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                                .header("Content-Type", "image/jpeg"))
                        .statusCode());
        assertEquals(List.of(), List.copyOf(cos.objects().keySet()));

        assertEquals(200, send(put(p, "image/jpeg", body)).statusCode());
        assertArrayEquals(body, cos.objects().get("input/5/20260101/x.jpg"));

        URI get = storage().presignGet("input/5/20260101/x.jpg", Duration.ofMinutes(5));
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(get));
        assertEquals(200, r.statusCode());
        assertArrayEquals(body, r.body());
        // the signature covers the key: the same query on another key is refused
        URI other = URI.create(get.toString().replace("x.jpg", "y.jpg"));
        assertEquals(403, send(HttpRequest.newBuilder(other)).statusCode());
    }

    @Test
    void anExpiredPresignedUrlOrAWrongSecretIsRefused() throws Exception {
        cos.objects().put("input/5/a.png", new byte[] {1});
        try (CosObjectStorage past = storage(KEY, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
                CosObjectStorage wrong = storage("not-the-key", Clock.systemUTC())) {
            assertEquals(
                    403,
                    send(HttpRequest.newBuilder(past.presignGet("input/5/a.png", Duration.ofMinutes(15))))
                            .statusCode());
            assertEquals(
                    403,
                    send(HttpRequest.newBuilder(wrong.presignGet("input/5/a.png", Duration.ofMinutes(15))))
                            .statusCode());
            org.junit.jupiter.api.Assertions.assertThrows(StorageException.class, () -> wrong.get("input/5/a.png"));
        }
        assertEquals(
                List.of(
                        "request time outside the signature's window",
                        "signature does not match",
                        "signature does not match"),
                cos.rejections());
    }
}
