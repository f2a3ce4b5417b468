package com.aiphoto.server.platform.kv;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script run by its SHA (EVALSHA), sent in full only when Redis does not know it yet (after a restart). */
record RedisScript(String source, String sha) {

    RedisScript(String source) {
        this(source, sha1(source));
    }

    <T> T run(RedisCommands<String, String> commands, List<String> keys, String... args) {
        String[] k = keys.toArray(String[]::new);
        try {
            return commands.evalsha(sha, ScriptOutputType.MULTI, k, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(source, ScriptOutputType.MULTI, k, args);
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
