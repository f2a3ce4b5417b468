package com.aiphoto.opsctl.user;

import com.aiphoto.core.account.AccountChanges;
import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.Resp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tells the running servers that opsctl changed a user (role, quota), so their cached rows are evicted at once:
 * {@code PUBLISH <REDIS_PREFIX>:wake:account <id>}, the channel the server's {@code AccountChangeSignal} listens
 * on, in {@link Resp} over one short socket (opsctl carries no Redis client); a failure is reported on stderr and changes nothing (the servers see the change within
 * {@code AUTH_USER_CACHE_TTL} anyway).
 */
final class RedisAccountChanges implements AccountChanges {
    private final Settings settings;
    private final PrintWriter err;

    private RedisAccountChanges(Settings settings, PrintWriter err) {
        this.settings = settings;
        this.err = err;
    }

    /** Publishing through Redis when {@code REDIS_HOST} is set; else nothing to tell (one server, no Redis). */
    static AccountChanges from(Settings settings, PrintWriter err) {
        return settings.has("REDIS_HOST") ? new RedisAccountChanges(settings, err) : NONE;
    }

    /** The channel; the server's namespace rule (KvServices): the prefix, one colon, then the wake-up topic. */
    static String channel(String prefix) {
        return (prefix.endsWith(":") ? prefix : prefix + ":") + "wake:" + TOPIC;
    }

    @Override
    public void changed(long userId) {
        String host = settings.get("REDIS_HOST");
        int port = settings.integer("REDIS_PORT");
        int timeout = Math.toIntExact(settings.duration("REDIS_TIMEOUT").toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeout);
            socket.setSoTimeout(timeout);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<List<String>> commands = new ArrayList<>();
            Optional<String> password = settings.find("REDIS_PASSWORD").filter(p -> !p.isEmpty());
            password.ifPresent(p -> commands.add(List.of("AUTH", p)));
            int db = settings.integer("REDIS_DB");
            if (db != 0) {
                commands.add(List.of("SELECT", Integer.toString(db)));
            }
            commands.add(List.of("PUBLISH", channel(settings.get("REDIS_PREFIX")), Long.toString(userId)));
            for (List<String> command : commands) {
                out.write(Resp.command(command.toArray(String[]::new)));
            }
            out.flush();
            for (List<String> command : commands) {
                String reply = Resp.reply(in);
                if (reply.startsWith("-")) {
                    // the command's name only: AUTH's argument is the password
                    throw new IOException(command.get(0) + " refused: " + reply.substring(1));
                }
            }
        } catch (IOException | RuntimeException e) {
            err.println("warning: could not tell the servers through Redis at " + host + ":" + port + " ("
                    + e.getMessage() + "); they show the change within AUTH_USER_CACHE_TTL");
            err.flush();
        }
    }
}
