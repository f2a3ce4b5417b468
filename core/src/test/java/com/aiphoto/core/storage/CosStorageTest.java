package com.aiphoto.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.qcloud.cos.ClientConfig;
import com.qcloud.cos.http.HttpProtocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CosStorageTest {
    private static final Map<String, String> COS = Map.of(
            "COS_BUCKET",
            "media-1250000000",
            "TENCENT_SECRET_ID",
            "AKIDexample",
            "TENCENT_SECRET_KEY",
            "secret-key-value");

    @Test
    void namesEveryMissingSettingInOrder() {
        assertEquals(CosStorage.REQUIRED, CosStorage.missing(Settings.of(Map.of())));
        assertEquals(
                List.of("TENCENT_SECRET_KEY"),
                CosStorage.missing(Settings.of(Map.of("COS_BUCKET", "b", "TENCENT_SECRET_ID", "id"))));
        assertEquals(List.of(), CosStorage.missing(Settings.of(COS)));
    }

    @Test
    void withoutEndpointTheRegionDecidesOverHttps() {
        CosStorage cos = CosStorage.from(Settings.of(COS));
        ClientConfig config = cos.clientConfig();
        assertEquals("ap-guangzhou", config.getRegion().getRegionName(), "the default region");
        assertEquals(HttpProtocol.https, config.getHttpProtocol());
        assertTrue(
                config.getEndpointBuilder()
                        .buildGeneralApiEndpoint("media-1250000000")
                        .contains("ap-guangzhou"),
                config.getEndpointBuilder().buildGeneralApiEndpoint("media-1250000000"));
    }

    @Test
    void endpointOverrideReplacesHostAndProtocol() {
        Map<String, String> env = new java.util.HashMap<>(COS);
        env.put("COS_ENDPOINT", "http://127.0.0.1:18080");
        ClientConfig config = CosStorage.from(Settings.of(env)).clientConfig();
        assertEquals(HttpProtocol.http, config.getHttpProtocol());
        assertEquals("127.0.0.1:18080", config.getEndpointBuilder().buildGeneralApiEndpoint("media-1250000000"));
        env.put("COS_ENDPOINT", "cos.example.test");
        config = CosStorage.from(Settings.of(env)).clientConfig();
        assertEquals(HttpProtocol.https, config.getHttpProtocol(), "no scheme means https");
        assertEquals("cos.example.test", config.getEndpointBuilder().buildGeneralApiEndpoint("b"));
    }

    @Test
    void toStringNeverShowsTheSecretKey() {
        assertFalse(CosStorage.from(Settings.of(COS)).toString().contains("secret-key-value"));
    }
}
