package com.aiphoto.server.auth;

import com.aiphoto.testing.FakeServer;
import java.util.Map;
import java.util.Optional;

/**
 * A local {@code jscode2session}: codes "code-&lt;name&gt;" log in as openid "openid-&lt;name&gt;" (unionid
 * "union-&lt;name&gt;"), "app2-&lt;name&gt;" as openid "openid2-&lt;name&gt;" with the same unionid, "long-openid" and
 * "long-unionid" return a 65-character id; anything else gets WeChat's error 40029 (invalid code). The app id and secret must match.
 */
final class FakeWeChat extends FakeServer {
    static final String APP_ID = "wx-test-appid";
    static final String APP_SECRET = "wx-test-app-secret-0123456789";

    Map<String, String> settings() {
        return Map.of("WECHAT_API_BASE_URL", endpoint(), "WECHAT_APPID", APP_ID, "WECHAT_APP_SECRET", APP_SECRET);
    }

    @Override
    protected Reply handle(Request req) {
        if (!req.path().equals("/sns/jscode2session")) {
            return Reply.empty(404);
        }
        String body;
        String code = req.query("js_code").orElse("");
        if (!req.query("appid").equals(Optional.of(APP_ID))
                || !req.query("secret").equals(Optional.of(APP_SECRET))
                || !req.query("grant_type").equals(Optional.of("authorization_code"))) {
            body = "{\"errcode\":40125,\"errmsg\":\"invalid appsecret\"}";
        } else if (code.startsWith("code-")) {
            String name = code.substring(5);
            body = "{\"openid\":\"openid-" + name + "\",\"session_key\":\"sk\",\"unionid\":\"union-" + name + "\"}";
        } else if (code.startsWith("app2-")) {
            // the same person through a second mini-program bound to the same open platform account
            String name = code.substring(5);
            body = "{\"openid\":\"openid2-" + name + "\",\"session_key\":\"sk\",\"unionid\":\"union-" + name + "\"}";
        } else if (code.equals("long-openid") || code.equals("long-unionid")) {
            String longId = "x".repeat(65);
            body = code.equals("long-openid")
                    ? "{\"openid\":\"" + longId + "\",\"session_key\":\"sk\"}"
                    : "{\"openid\":\"openid-" + System.nanoTime() + "\",\"unionid\":\"" + longId + "\"}";
        } else {
            body = "{\"errcode\":40029,\"errmsg\":\"invalid code\"}";
        }
        // WeChat answers JSON as text/plain
        return Reply.text(200, body);
    }
}
