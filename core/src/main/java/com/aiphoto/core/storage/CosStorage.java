package com.aiphoto.core.storage;

import com.aiphoto.core.config.Settings;
import com.qcloud.cos.COSClient;
import com.qcloud.cos.ClientConfig;
import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.endpoint.EndpointBuilder;
import com.qcloud.cos.http.HttpProtocol;
import com.qcloud.cos.region.Region;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tencent COS as configured: the bucket, the region, the credentials, and {@code COS_ENDPOINT}, which replaces
 * the region's endpoint (a local fake in tests; {@code http://} there means plain HTTP). One client set-up for
 * everything that talks to the bucket (opsctl's backup upload, later the server's media), so they cannot drift.
 */
public record CosStorage(String bucket, String region, String secretId, String secretKey, Optional<String> endpoint) {
    /** The settings a client needs; COS_REGION has a default, so it is never missing. */
    public static final List<String> REQUIRED = List.of("COS_BUCKET", "TENCENT_SECRET_ID", "TENCENT_SECRET_KEY");

    /** The required settings that are not set, in {@link #REQUIRED} order; empty when COS is usable. */
    public static List<String> missing(Settings settings) {
        List<String> missing = new ArrayList<>();
        for (String key : REQUIRED) {
            if (settings.find(key).isEmpty()) {
                missing.add(key);
            }
        }
        return missing;
    }

    /** Reads the COS settings; check {@link #missing} first (a missing one fails here as Settings.get does). */
    public static CosStorage from(Settings settings) {
        return new CosStorage(
                settings.get("COS_BUCKET"),
                settings.get("COS_REGION"),
                settings.get("TENCENT_SECRET_ID"),
                settings.get("TENCENT_SECRET_KEY"),
                settings.find("COS_ENDPOINT"));
    }

    /** The SDK's configuration: region, or the endpoint override with its protocol. */
    public ClientConfig clientConfig() {
        ClientConfig config = new ClientConfig(new Region(region));
        config.setPrintShutdownStackTrace(false);
        endpoint.ifPresent(e -> {
            URI uri = URI.create(e.contains("://") ? e : "https://" + e);
            config.setHttpProtocol("http".equals(uri.getScheme()) ? HttpProtocol.http : HttpProtocol.https);
            String authority = uri.getAuthority();
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
        });
        return config;
    }

    /** A new client; the caller shuts it down (it owns a connection pool and threads). */
    public COSClient client() {
        return new COSClient(new BasicCOSCredentials(secretId, secretKey), clientConfig());
    }

    /** Never the secret key (records print every component). */
    @Override
    public String toString() {
        return "CosStorage[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint.orElse("-") + "]";
    }
}
