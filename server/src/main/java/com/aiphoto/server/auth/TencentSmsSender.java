package com.aiphoto.server.auth;

import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tencent Cloud SMS {@code SendSms} (API 2021-01-11), signed with TC3-HMAC-SHA256. */
final class TencentSmsSender implements SmsSender {
    private static final Logger LOG = LoggerFactory.getLogger(TencentSmsSender.class);
    static final String ACTION = "SendSms";
    static final String VERSION = "2021-01-11";

    /** What SendSms needs from the configuration. */
    record Config(
            URI endpoint,
            String region,
            String secretId,
            String secretKey,
            String sdkAppId,
            String signName,
            String templateId) {}

    private final Config config;
    private final Tc3Signer signer;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Clock clock;

    TencentSmsSender(Config config, HttpClient http, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.signer = new Tc3Signer(config.secretId(), config.secretKey());
        this.http = http;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public void sendCode(String phone, String code, int minutes) {
        String payload;
        try {
            payload = mapper.writeValueAsString(Map.of(
                    "PhoneNumberSet", List.of("+86" + phone),
                    "SmsSdkAppId", config.sdkAppId(),
                    "SignName", config.signName(),
                    "TemplateId", config.templateId(),
                    "TemplateParamSet", List.of(code, Integer.toString(minutes))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        URI uri = config.endpoint();
        // the JDK client sends Host itself (host[:port]); sign exactly that
        String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        Instant now = clock.instant();
        HttpRequest request = HttpRequest.newBuilder(uri.resolve("/"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", Tc3Signer.CONTENT_TYPE)
                .header("Authorization", signer.authorization("sms", host, ACTION, payload, now))
                .header("X-TC-Action", ACTION)
                .header("X-TC-Timestamp", Long.toString(now.getEpochSecond()))
                .header("X-TC-Version", VERSION)
                .header("X-TC-Region", config.region())
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        String outcome;
        try {
            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
            outcome = check(res);
        } catch (IOException e) {
            outcome = "unreachable: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
        }
        if (outcome != null) {
            // the phone is masked and the code never logged
            LOG.warn("SMS to {} failed: {}", Phones.mask(phone), outcome);
            throw new ApiException(ErrorCode.UNAVAILABLE, "SMS could not be sent; try again later");
        }
    }

    /** Null when the message was accepted, else why not. */
    private String check(HttpResponse<String> res) throws IOException {
        if (res.statusCode() != 200) {
            return "HTTP " + res.statusCode();
        }
        JsonNode body = mapper.readTree(res.body()).path("Response");
        if (body.has("Error")) {
            return body.path("Error").path("Code").asText("error");
        }
        JsonNode status = body.path("SendStatusSet").path(0);
        return "Ok".equalsIgnoreCase(status.path("Code").asText())
                ? null
                : status.path("Code").asText("no status");
    }
}
