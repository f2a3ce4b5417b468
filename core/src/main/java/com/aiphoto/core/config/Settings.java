package com.aiphoto.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The configuration the server and opsctl share: {@code application.yaml} defaults, then an env file, then
 * real environment variables, each layer winning over the one before. Keys are environment variable names;
 * old names from the Node service are accepted as aliases. Blank values count as unset, as in dotenv: a blank
 * value hides the layers below it and leaves the key at its default, if it has one.
 */
public final class Settings {
    /** Old name -> canonical name. The canonical name wins when both are set in the same layer. */
    static final Map<String, String> ALIASES = Map.of(
            "NODE_ENV", "APP_ENV",
            "DATABASE_POOL_MIN", "DB_POOL_MIN",
            "DATABASE_POOL_MAX", "DB_POOL_MAX");

    /** Where a value came from, for {@code config check} and error messages. */
    public enum Source {
        DEFAULT,
        ENV_FILE,
        ENVIRONMENT,
        OVERRIDE
    }

    private record Value(String value, Source source) {}

    private static final Map<String, String> DEFAULTS = readDefaults();

    private final Map<String, Value> values;
    private final Optional<Path> envFile;

    private Settings(Map<String, Value> values, Optional<Path> envFile) {
        this.values = Collections.unmodifiableMap(values);
        this.envFile = envFile;
    }

    /**
     * Loads the layers. {@code explicitEnvFile} (from {@code --env-file}) must exist; otherwise
     * {@code AI_PHOTO_ENV_FILE}, then the first existing of {@code fallbackEnvFiles} is used, if any.
     */
    public static Settings load(Map<String, String> environment, Path explicitEnvFile, List<Path> fallbackEnvFiles) {
        Map<String, Value> merged = new TreeMap<>();
        DEFAULTS.forEach((k, v) -> put(merged, k, v, Source.DEFAULT));

        Optional<Path> envFile = chooseEnvFile(environment, explicitEnvFile, fallbackEnvFiles);
        envFile.ifPresent(f -> layer(merged, EnvFile.read(f), Source.ENV_FILE));
        layer(merged, environment, Source.ENVIRONMENT);
        return new Settings(merged, envFile);
    }

    /** The defaults plus {@code values}, no env file and no environment: for tests and tools. */
    public static Settings of(Map<String, String> values) {
        return load(values, null, List.of());
    }

    /** A copy with {@code overrides} applied on top (blank unsets a key, leaving its default if it has one). */
    public Settings with(Map<String, String> overrides) {
        Map<String, Value> merged = new TreeMap<>(values);
        layer(merged, overrides, Source.OVERRIDE);
        return new Settings(merged, envFile);
    }

    private static Optional<Path> chooseEnvFile(Map<String, String> env, Path explicit, List<Path> fallbacks) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new ConfigException("env file not found: " + explicit);
            }
            return Optional.of(explicit);
        }
        String named = env.get("AI_PHOTO_ENV_FILE");
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            if (!Files.isRegularFile(p)) {
                throw new ConfigException("env file not found: " + p + " (AI_PHOTO_ENV_FILE)");
            }
            return Optional.of(p);
        }
        return fallbacks.stream().filter(Files::isRegularFile).findFirst();
    }

    private static void layer(Map<String, Value> merged, Map<String, String> layer, Source source) {
        // aliases first so that the canonical name, applied after, wins within one layer
        ALIASES.forEach((old, canonical) -> {
            if (layer.containsKey(old) && !layer.containsKey(canonical)) {
                put(merged, canonical, layer.get(old), source);
            }
        });
        layer.forEach((k, v) -> put(merged, k, v, source));
    }

    private static void put(Map<String, Value> merged, String key, String value, Source source) {
        if (value == null || value.isBlank()) {
            // unset: the default applies again (as `process.env.PORT || 3000` did), or nothing
            String dflt = source == Source.DEFAULT ? null : DEFAULTS.get(key);
            if (dflt != null && !dflt.isBlank()) {
                merged.put(key, new Value(dflt.strip(), Source.DEFAULT));
            } else if (source != Source.DEFAULT) {
                merged.remove(key);
            }
            return;
        }
        merged.put(key, new Value(value.strip(), source));
    }

    /** Keys that application.yaml gives a default. */
    public static Set<String> defaultKeys() {
        return DEFAULTS.keySet();
    }

    private static Map<String, String> readDefaults() {
        try (InputStream in = Settings.class.getResourceAsStream("/application.yaml")) {
            if (in == null) {
                throw new IllegalStateException("application.yaml missing from the classpath");
            }
            Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            Map<String, String> flat = new LinkedHashMap<>();
            yaml.forEach((k, v) -> flat.put(k, String.valueOf(v)));
            return Collections.unmodifiableMap(flat);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.yaml", e);
        }
    }

    public Optional<String> find(String key) {
        return Optional.ofNullable(values.get(key)).map(Value::value);
    }

    public String get(String key) {
        return find(key).orElseThrow(() -> new ConfigException(key + " is not set"));
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Optional<Source> source(String key) {
        return Optional.ofNullable(values.get(key)).map(Value::source);
    }

    public int integer(String key) {
        String v = get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be an integer, got '" + v + "'");
        }
    }

    public Duration duration(String key) {
        String v = get(key);
        return Units.duration(v)
                .orElseThrow(() ->
                        new ConfigException(key + " must be a duration such as 30s, 5m, 2h or 7d, got '" + v + "'"));
    }

    public long bytes(String key) {
        String v = get(key);
        return Units.bytes(v)
                .orElseThrow(
                        () -> new ConfigException(key + " must be a size such as 512KB, 1MiB or 1GB, got '" + v + "'"));
    }

    public AppEnv appEnv() {
        String v = get("APP_ENV");
        return AppEnv.parse(v)
                .orElseThrow(
                        () -> new ConfigException("APP_ENV must be development, test or production, got '" + v + "'"));
    }

    public boolean isProduction() {
        return AppEnv.parse(find("APP_ENV").orElse("")).orElse(AppEnv.DEVELOPMENT) == AppEnv.PRODUCTION;
    }

    public Optional<Path> envFile() {
        return envFile;
    }

    /** All keys that have a value, sorted. */
    public List<String> keys() {
        return List.copyOf(values.keySet());
    }
}
