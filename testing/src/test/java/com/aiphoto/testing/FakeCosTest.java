package com.aiphoto.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.ClientConfig;
import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.endpoint.EndpointBuilder;
import com.qcloud.cos.exception.CosServiceException;
import com.qcloud.cos.http.HttpProtocol;
import com.qcloud.cos.model.COSObject;
import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.region.Region;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake through Tencent's real SDK: what it signs must verify, what it reads back must match. */
class FakeCosTest {
    private static final String ID = "AKIDtestfakecos";
    private static final String KEY = "fake-cos-secret-key-0123456789";

    @Test
    void theSdkPutsHeadsAndGetsAnObject() throws IOException {
        byte[] data = "backup bytes \u00e9".getBytes(StandardCharsets.UTF_8);
        try (FakeCos cos = new FakeCos(ID, KEY)) {
            COSClient client = client(cos, KEY);
            try {
                ObjectMetadata meta = new ObjectMetadata();
                meta.setContentLength(data.length);
                client.putObject("bucket-1250000000", "dir/a b.bin", new ByteArrayInputStream(data), meta);
                assertArrayEquals(data, cos.objects().get("dir/a b.bin"));
                assertEquals(
                        data.length,
                        client.getObjectMetadata("bucket-1250000000", "dir/a b.bin")
                                .getContentLength());
                try (COSObject o = client.getObject("bucket-1250000000", "dir/a b.bin");
                        InputStream in = o.getObjectContent()) {
                    assertArrayEquals(data, in.readAllBytes());
                }
            } finally {
                client.shutdown();
            }
            assertEquals(
                    List.of("PUT /dir/a%20b.bin 200", "HEAD /dir/a%20b.bin 200", "GET /dir/a%20b.bin 200"), cos.log());
        }
    }

    @Test
    void aWrongSecretKeyOrNoSignatureIsRefusedWith403() throws Exception {
        try (FakeCos cos = new FakeCos(ID, KEY)) {
            COSClient client = client(cos, "not-the-key");
            try {
                CosServiceException e = assertThrows(
                        CosServiceException.class, () -> client.getObjectMetadata("bucket-1250000000", "x"));
                assertEquals(403, e.getStatusCode());
            } finally {
                client.shutdown();
            }
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(cos.endpoint() + "/x"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode());
            assertEquals(List.of("signature does not match", "no Authorization header"), cos.rejections());
        }
    }

    private static COSClient client(FakeCos cos, String secretKey) {
        ClientConfig config = new ClientConfig(new Region("ap-guangzhou"));
        config.setHttpProtocol(HttpProtocol.http);
        config.setPrintShutdownStackTrace(false);
        String authority = URI.create(cos.endpoint()).getAuthority();
        config.setEndpointBuilder(new EndpointBuilder() {
            @Override
            public String buildGeneralApiEndpoint(String bucketName) {
                return authority;
            }

            @Override
            public String buildGetServiceApiEndpoint() {
                return authority;
            }
        });
        return new COSClient(new BasicCOSCredentials(ID, secretKey), config);
    }
}
