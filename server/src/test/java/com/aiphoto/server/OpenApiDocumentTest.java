package com.aiphoto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document describes exactly the registered routes, and the server serves it at /openapi. */
class OpenApiDocumentTest {
    @TempDir
    static Path dir;

    private static AiPhotoServer.Running running;
    private static Http http;

    @BeforeAll
    static void start() {
        running = AiPhotoServer.start(TestServers.settings(dir, Map.of()), null); // no fixture routes
        http = new Http(running.port());
    }

    @AfterAll
    static void stop() {
        running.stop();
    }

    @Test
    void documentedOperationsAreExactlyTheRegisteredRoutes() {
        Set<String> routes = new LinkedHashSet<>(running.platform().routes().describe());
        Set<String> documented = OpenApiContract.get().operations();
        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(routes);
        assertTrue(undocumented.isEmpty(), "routes missing from " + OpenApiContract.RESOURCE + ": " + undocumented);
        assertTrue(stale.isEmpty(), "documented operations no route serves: " + stale);
    }

    @Test
    void everyOperationHasASummaryAnIdAndAnErrorResponse() {
        JsonNode paths = OpenApiContract.get().document().path("paths");
        List<String> problems = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (String op : OpenApiContract.get().operations()) {
            String[] mp = op.split(" ", 2);
            JsonNode o = paths.path(mp[1]).path(mp[0].toLowerCase(java.util.Locale.ROOT));
            if (o.path("summary").asText().isBlank()) {
                problems.add(op + ": no summary");
            }
            if (!ids.add(o.path("operationId").asText())) {
                problems.add(op + ": missing or duplicate operationId");
            }
            if (!"HEAD".equals(mp[0]) && !o.path("responses").has("default")) {
                problems.add(op + ": no default (error envelope) response");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theServerServesTheDocument() {
        Http.Response yaml = http.get("/openapi", "Accept", "application/vnd.oai.openapi");
        assertEquals(200, yaml.status(), yaml.body());
        assertTrue(yaml.body().contains("openapi: 3.1.0"), yaml.body());
        assertTrue(yaml.body().contains("/api/auth/me"), yaml.body());

        Http.Response json = http.get("/openapi", "Accept", "application/json");
        assertEquals(200, json.status(), json.body());
        assertEquals("3.1.0", json.json().path("openapi").asText());
        assertFalse(json.json().path("paths").path("/api/auth/login").isMissingNode());
    }

    @Test
    void developmentServesSwaggerUiPointedAtTheDocument() {
        Http ui = Http.outsideContract(running.port());
        Http.Response page = ui.get("/openapi/ui/index.html");
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("swagger-ui"), page.body());
        Http.Response init = ui.get("/openapi/ui/swagger-initializer.js");
        assertEquals(200, init.status());
        assertTrue(init.body().contains("url: \"/openapi\""), init.body());
        assertFalse(init.body().contains("petstore"), init.body());
        assertEquals(200, ui.get("/openapi/ui/swagger-ui-bundle.js").status());
    }

    @Test
    void theContractRejectsAResponseThatDoesNotMatch() {
        OpenApiContract c = OpenApiContract.get();
        String ok = "{\"status\":\"ok\",\"timestamp\":\"2026-12-02T10:00:00.000Z\",\"env\":\"test\"}";
        assertEquals(List.of(), c.violations("GET", "/health", 200, "application/json", ok));
        // seconds without milliseconds, an undocumented field, an undocumented status
        assertFalse(c.violations("GET", "/health", 200, "application/json", ok.replace(".000Z", "Z"))
                .isEmpty());
        assertFalse(c.violations("GET", "/health", 200, "application/json", ok.replace("}", ",\"x\":1}"))
                .isEmpty());
        String error = "{\"success\":false,\"error\":{\"code\":1001,\"message\":\"x\"},\"requestId\":\"r\"}";
        assertEquals(List.of(), c.violations("GET", "/api/auth/me", 401, "application/json", error));
        assertFalse(c.violations("GET", "/api/auth/me", 401, "application/json", error.replace("1001", "77"))
                .isEmpty());
        assertEquals(List.of(), c.violations("GET", "/no/such/route", 404, "application/json", "{}"));
    }
}
