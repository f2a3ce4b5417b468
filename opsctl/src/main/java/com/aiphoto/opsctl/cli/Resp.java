package com.aiphoto.opsctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The little of Redis's wire protocol (RESP) opsctl speaks: a command as an array of bulk strings, and one-line
 * replies. By hand rather than through Lettuce: a command or two per run do not justify netty's start-up.
 */
public final class Resp {
    private Resp() {}

    public static byte[] command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$')
                    .append(a.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(a)
                    .append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One simple-string, integer or error reply line, without its CRLF. */
    public static String reply(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r' && sb.length() < 512) {
                sb.append((char) b);
            }
        }
        if (b == -1 && sb.isEmpty()) {
            throw new IOException("connection closed without a reply");
        }
        return sb.toString();
    }
}
