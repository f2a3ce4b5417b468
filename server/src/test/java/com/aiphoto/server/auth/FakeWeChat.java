package com.aiphoto.server.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local {@code jscode2session}: codes "code-&lt;name&gt;" log in as openid "openid-&lt;name&gt;" (unionid
 * "union-&lt;name&gt;"), "app2-&lt;name&gt;" as openid "openid2-&lt;name&gt;" with the same unionid, "long-openid" and
 * "long-unionid" return a 65-character id; anything else gets WeChat's error 40029 (invalid code). The app id and secret must match.
 */
final class FakeWeChat implements AutoCloseable {
    static final String APP_ID = "wx-test-appid";
    static final String APP_SECRET = "wx-test-app-secret-0123456789";

    private final HttpServer server;

    FakeWeChat() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sns/jscode2session", this::handle);
        server.start();
    }

    Map<String, String> settings() {
        return Map.of("WECHAT_API_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "WECHAT_APPID", APP_ID, "WECHAT_APP_SECRET", APP_SECRET);
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> q = new HashMap<>();
        for (String part : ex.getRequestURI().getRawQuery().split("&")) {
            String[] kv = part.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        String body;
        String code = q.getOrDefault("js_code", "");
        if (!APP_ID.equals(q.get("appid")) || !APP_SECRET.equals(q.get("secret"))
                || !"authorization_code".equals(q.get("grant_type"))) {
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
            body = code.equals("long-openid") ? "{\"openid\":\"" + longId + "\",\"session_key\":\"sk\"}"
                    : "{\"openid\":\"openid-" + System.nanoTime() + "\",\"unionid\":\"" + longId + "\"}";
        } else {
            body = "{\"errcode\":40029,\"errmsg\":\"invalid code\"}";
        }
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
