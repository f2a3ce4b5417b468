package com.aiphoto.server.media;

import com.aiphoto.testing.FakeCos;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Media on the fake COS: presigned PUT and GET URLs, checked by the fake like COS checks them. */
class CosMediaFlowTest extends MediaFlowContract {
    private static final String ID = "AKIDmediaflow";
    private static final String KEY = "media-flow-secret-key-0123456789";
    private FakeCos cos;

    @BeforeEach
    @Override
    void start() {
        cos = new FakeCos(ID, KEY);
        super.start();
    }

    @AfterEach
    void closeCos() {
        cos.close();
    }

    @Override
    Map<String, String> storageSettings() {
        return Map.of(
                "COS_BUCKET",
                "media-1250000000",
                "COS_ENDPOINT",
                cos.endpoint(),
                "TENCENT_SECRET_ID",
                ID,
                "TENCENT_SECRET_KEY",
                KEY);
    }

    @Override
    Optional<byte[]> stored(String key) {
        return Optional.ofNullable(cos.objects().get(key));
    }

    @Override
    int objectCount() {
        return cos.objects().size();
    }

    @Override
    URI route(URI url) {
        return url;
    }

    @Override
    boolean checksContentOnUpload() {
        return false;
    }
}
