package com.aiphoto.opsctl.upgrade;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API instance as {@code API_INSTANCES} names it: {@code HOST:PORT/ADMIN_PORT} (the admin port is explicit:
 * each systemd instance sets its own ADMIN_PORT in /etc/ai-photo/api-PORT.env, and no offset rule is guessed).
 */
record Instance(String host, int port, int adminPort) {
    private static final Pattern ENTRY =
            Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:]+\\]):(\\d{1,5})/(\\d{1,5})");

    /** The instances of API_INSTANCES; unset, the one instance this configuration describes. */
    static List<Instance> configured(Settings s) {
        String list = s.find("API_INSTANCES").map(String::strip).orElse("");
        if (list.isEmpty()) {
            return List.of(new Instance("127.0.0.1", s.integer("PORT"), s.integer("ADMIN_PORT")));
        }
        return parse(list);
    }

    static List<Instance> parse(String list) {
        List<Instance> all = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new OpsctlException(
                        ExitCode.PRECONDITION,
                        "API_INSTANCES: '" + entry + "' is not HOST:PORT/ADMIN_PORT (e.g. 127.0.0.1:3001/9081)");
            }
            Instance i = new Instance(m.group(1), port(m.group(2), entry), port(m.group(3), entry));
            if (i.port == i.adminPort || !ports.add(i.port) || !ports.add(i.adminPort)) {
                throw new OpsctlException(ExitCode.PRECONDITION, "API_INSTANCES: port of '" + entry + "' used twice");
            }
            all.add(i);
        }
        return List.copyOf(all);
    }

    private static int port(String digits, String entry) {
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) {
            throw new OpsctlException(ExitCode.PRECONDITION, "API_INSTANCES: '" + entry + "': no such port " + p);
        }
        return p;
    }

    /** {@code host:port}, as nginx's upstream and the operator name it. */
    String name() {
        return host + ":" + port;
    }

    URI api(String path) {
        return URI.create("http://" + host + ":" + port + path);
    }

    URI admin(String path) {
        return URI.create("http://" + host + ":" + adminPort + path);
    }

    /** API_RESTART_CMD for this instance: {port}, {host} and {admin_port} replaced. */
    String restartCommand(String template) {
        return template.replace("{port}", Integer.toString(port))
                .replace("{host}", host)
                .replace("{admin_port}", Integer.toString(adminPort));
    }
}
