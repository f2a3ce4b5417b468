package com.aiphoto.server.auth;

import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Mini-program login: exchanges a {@code wx.login} code for the user's openid through {@code jscode2session}. */
final class WeChatLogin {
    private static final Logger LOG = LoggerFactory.getLogger(WeChatLogin.class);
    /** The size of the users.wechat_openid and wechat_unionid columns. */
    static final int MAX_ID_LENGTH = 64;

    /** Who WeChat says the user is; {@code unionid} only when the app is bound to an open platform account. */
    record Identity(String openid, String unionid) {}

    private final URI base;
    private final String appId;
    private final String appSecret;
    private final HttpClient http;
    private final ObjectMapper mapper;

    WeChatLogin(URI base, String appId, String appSecret, HttpClient http, ObjectMapper mapper) {
        this.base = base;
        this.appId = appId;
        this.appSecret = appSecret;
        this.http = http;
        this.mapper = mapper;
    }

    /** The identity behind {@code code}; 400/2006 when WeChat refuses it, is unreachable or not configured. */
    Identity exchange(String code) {
        if (appId == null || appSecret == null) {
            throw new ApiException(ErrorCode.WECHAT_LOGIN_FAILED, "WeChat login is not configured");
        }
        URI uri = base.resolve("/sns/jscode2session?appid=" + enc(appId) + "&secret=" + enc(appSecret) + "&js_code="
                + enc(code) + "&grant_type=authorization_code");
        try {
            HttpResponse<String> res = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = res.statusCode() == 200 ? mapper.readTree(res.body()) : null;
            if (body == null
                    || body.path("errcode").asInt(0) != 0
                    || body.path("openid").asText("").isEmpty()) {
                // errcode/errmsg are WeChat's (e.g. 40029 invalid code); the URL is not logged: it holds the secret
                LOG.warn(
                        "WeChat login refused: HTTP {} errcode {}",
                        res.statusCode(),
                        body == null ? "-" : body.path("errcode").asText("-"));
                throw new ApiException(ErrorCode.WECHAT_LOGIN_FAILED);
            }
            String openid = body.get("openid").asText();
            String unionid = body.path("unionid").asText("");
            if (openid.length() > MAX_ID_LENGTH || unionid.length() > MAX_ID_LENGTH) {
                // WeChat's ids are 28-29 characters; longer ones would not fit the columns
                LOG.warn("WeChat login refused: openid or unionid longer than {} characters", MAX_ID_LENGTH);
                throw new ApiException(ErrorCode.WECHAT_LOGIN_FAILED);
            }
            return new Identity(openid, unionid.isEmpty() ? null : unionid);
        } catch (IOException e) {
            LOG.warn("WeChat unreachable: {}", e.getClass().getSimpleName());
            throw new ApiException(ErrorCode.WECHAT_LOGIN_FAILED, "WeChat login failed: service unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.WECHAT_LOGIN_FAILED);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
