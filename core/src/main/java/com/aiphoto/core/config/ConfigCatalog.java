package com.aiphoto.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every configuration variable, as {@code application.yaml} declares it: its section, default (if any), meaning,
 * type and flags. The one place variables are defined: {@link ConfigCheck} applies the types, the reference
 * ({@code docs/configuration.md}) is generated from it, and a test holds the code's reads to it.
 */
public final class ConfigCatalog {
    static final String RESOURCE = "/application.yaml";
    private static final Pattern KEY = Pattern.compile("^(#?)([A-Z][A-Z0-9_]*):(.*)$");
    private static final Pattern RANGE = Pattern.compile("integer (-?\\d+)\\.\\.(-?\\d+)");

    /** A variable's type, as written after {@code type:}. */
    public enum Kind {
        STRING("string"),
        INTEGER("integer"),
        PORT("port"),
        DURATION("duration"),
        SIZE("size"),
        URL("url"),
        CHOICE("one of"),
        PATH("path"),
        COMMAND("command"),
        CIDR_LIST("cidr list"),
        ORIGIN_LIST("origin list"),
        JSON("json"),
        EMAIL("email");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        static Kind parse(String text) {
            Kind best = null;
            for (Kind k : values()) {
                if (text.startsWith(k.word) && (best == null || k.word.length() > best.word.length())) {
                    best = k;
                }
            }
            if (best == null) {
                throw new IllegalArgumentException("unknown type '" + text + "'");
            }
            return best;
        }
    }

    /**
     * One variable. {@code type} is the text after {@code type:} up to the first {@code ;} (e.g. {@code integer
     * 1..365}); {@code min}/{@code max} are set for integers, {@code choices} for {@code one of}.
     */
    public record Variable(
            String name,
            String section,
            Optional<String> defaultValue,
            String description,
            String type,
            Kind kind,
            long min,
            long max,
            List<String> choices,
            boolean requiredInProduction,
            boolean secret) {}

    private final Map<String, Variable> variables;

    private ConfigCatalog(Map<String, Variable> variables) {
        this.variables = variables;
    }

    /** The catalog of the application.yaml on the class path. */
    public static ConfigCatalog load() {
        try (InputStream in = ConfigCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("application.yaml missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Holder {
        static final ConfigCatalog INSTANCE = load();
    }

    /** The catalog of the application.yaml on the class path, read once (it cannot change at run time). */
    public static ConfigCatalog standard() {
        return Holder.INSTANCE;
    }

    /** Parses the declaration format described at the top of application.yaml; a malformed entry is an error. */
    static ConfigCatalog parse(String text) {
        Map<String, Variable> out = new LinkedHashMap<>();
        String section = "";
        List<String> comment = new ArrayList<>();
        String type = null;
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.stripTrailing();
            Matcher key = KEY.matcher(line);
            if (line.isEmpty()) {
                comment.clear();
                type = null;
            } else if (line.startsWith("## ")) {
                section = line.substring(3).strip();
                comment.clear();
                type = null;
            } else if (key.matches()) {
                String name = key.group(2);
                if (type == null) {
                    throw new IllegalStateException(
                            "application.yaml line " + lineNo + ": " + name + " has no '# type:' line above it");
                }
                boolean declaredOnly = !key.group(1).isEmpty();
                Optional<String> def = declaredOnly
                        ? Optional.empty()
                        : Optional.of(key.group(3).strip());
                if (out.put(name, variable(name, section, def, String.join(" ", comment), type, lineNo)) != null) {
                    throw new IllegalStateException(
                            "application.yaml line " + lineNo + ": " + name + " declared twice");
                }
                comment.clear();
                type = null;
            } else if (line.startsWith("# type:")) {
                type = line.substring("# type:".length()).strip();
            } else if (line.startsWith("#")) {
                comment.add(line.substring(1).strip());
            } else {
                throw new IllegalStateException("application.yaml line " + lineNo + ": not a declaration: " + line);
            }
        }
        return new ConfigCatalog(out);
    }

    private static Variable variable(
            String name, String section, Optional<String> def, String description, String typeLine, int lineNo) {
        String[] parts = typeLine.split(";");
        String type = parts[0].strip();
        boolean required = false;
        boolean secret = false;
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i].strip()) {
                case "required in production" -> required = true;
                case "secret" -> secret = true;
                default ->
                    throw new IllegalStateException(
                            "application.yaml line " + lineNo + ": unknown flag '" + parts[i].strip() + "'");
            }
        }
        Kind kind;
        try {
            kind = Kind.parse(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("application.yaml line " + lineNo + ": " + name + ": " + e.getMessage());
        }
        long min = Long.MIN_VALUE;
        long max = Long.MAX_VALUE;
        List<String> choices = List.of();
        if (kind == Kind.INTEGER) {
            Matcher m = RANGE.matcher(type);
            if (!m.matches()) {
                throw new IllegalStateException(
                        "application.yaml line " + lineNo + ": " + name + ": write integers as 'integer MIN..MAX'");
            }
            min = Long.parseLong(m.group(1));
            max = Long.parseLong(m.group(2));
        } else if (kind == Kind.PORT) {
            min = 1;
            max = 65535;
        } else if (kind == Kind.CHOICE) {
            choices = List.of(type.substring("one of".length()).strip().split("\\|"));
        }
        return new Variable(name, section, def, description, type, kind, min, max, choices, required, secret);
    }

    public List<Variable> variables() {
        return List.copyOf(variables.values());
    }

    public Optional<Variable> find(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    public boolean declares(String name) {
        return variables.containsKey(name);
    }
}
