package com.aiphoto.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The API's contract, {@code META-INF/openapi.yaml}, as the tests use it: the operations it declares (compared
 * with the registered routes) and a check of a real response against the operation it belongs to (status
 * declared, body valid against the schema). {@link Http} runs that check on every response, so every API test
 * is also a contract test and the document cannot drift from what the server answers.
 */
public final class OpenApiContract {
    static final String RESOURCE = "META-INF/openapi.yaml";
    private static final String ID = "https://ai-photo.invalid/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode document) {
        this.document = document;
        String json = document.toString();
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(ID, json)));
    }

    private static final class Holder {
        static final OpenApiContract INSTANCE = load();
    }

    /** The document on the test classpath (the one the server serves), parsed once per test JVM. */
    public static OpenApiContract get() {
        return Holder.INSTANCE;
    }

    private static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return new OpenApiContract(new ObjectMapper().valueToTree(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode document() {
        return document;
    }

    /** Every operation as {@code METHOD path}, e.g. {@code GET /api/auth/me}. */
    public Set<String> operations() {
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Iterator<String> m = path.getValue().fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (METHODS.contains(method)) {
                    out.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return out;
    }

    /**
     * The documented path template a concrete request path belongs to ({@code /api/payment/order/abc} ->
     * {@code /api/payment/order/{orderId}}); a literal segment beats a parameter.
     */
    Optional<String> template(String rawPath) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        String[] actual = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String candidate = it.next();
            String[] parts = candidate.split("/", -1);
            if (parts.length != actual.length) {
                continue;
            }
            int literals = 0;
            boolean match = true;
            for (int i = 0; i < parts.length && match; i++) {
                if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
                    match = !actual[i].isEmpty();
                } else if (parts[i].equals(actual[i])) {
                    literals++;
                } else {
                    match = false;
                }
            }
            if (match && literals > bestLiterals) {
                best = candidate;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The problems of one response against the contract; empty when it conforms or when the request is to no
     * documented operation (an unknown route or method: what the server answers then is the envelope's tests'
     * business).
     */
    public List<String> violations(String method, String rawPath, int status, String contentType, String body) {
        Optional<String> template = template(rawPath);
        String m = method.toLowerCase(Locale.ROOT);
        if (template.isEmpty() || !document.path("paths").path(template.get()).has(m)) {
            return List.of();
        }
        String where = method + " " + template.get() + " -> " + status;
        JsonNode responses = document.path("paths").path(template.get()).path(m).path("responses");
        String key = responses.has(Integer.toString(status)) ? Integer.toString(status) : "default";
        if (!responses.has(key)) {
            return List.of(where + ": status not documented");
        }
        String pointer = "/paths/" + escape(template.get()) + "/" + m + "/responses/" + key;
        JsonNode response = responses.path(key);
        if (response.has("$ref")) {
            pointer = response.path("$ref").asText().substring(1);
            response = document.at(pointer);
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return body == null || body.isEmpty() || "HEAD".equals(method)
                    ? List.of()
                    : List.of(where + ": a body where the document declares none");
        }
        if ("HEAD".equals(method)) {
            return List.of();
        }
        if (!content.has("application/json")) {
            return List.of(where + ": documented content types are "
                    + content.fieldNames().next());
        }
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return List.of(where + ": Content-Type " + contentType + ", documented application/json");
        }
        String schemaPointer = pointer + "/content/application~1json/schema";
        Schema schema =
                schemas.computeIfAbsent(schemaPointer, p -> registry.getSchema(SchemaLocation.of(ID + "#" + p)));
        JsonNode instance;
        try {
            instance = new ObjectMapper().readTree(body);
        } catch (IOException e) {
            return List.of(where + ": body is not JSON: " + body);
        }
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(instance)) {
            out.add(where + ": " + e.getInstanceLocation() + " " + e.getMessage() + " in " + body);
        }
        return out;
    }

    private static String escape(String pathKey) {
        return pathKey.replace("~", "~0").replace("/", "~1");
    }
}
