package com.aiphoto.server.platform;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Swagger UI for the OpenAPI document (development only): the {@code org.webjars:swagger-ui} files through
 * Helidon's static content, with our own initializer pointing it at {@code /openapi} instead of the petstore.
 * Not part of the public API, so not in the route catalog.
 */
public final class OpenApiUi implements HttpService {
    public static final String PATH = "/openapi/ui";
    private static final String INITIALIZER = """
            window.onload = function () {
              window.ui = SwaggerUIBundle({
                url: "/openapi",
                dom_id: "#swagger-ui",
                deepLinking: true,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                layout: "StandaloneLayout"
              });
            };
            """;

    private final HttpService files;

    public OpenApiUi() {
        this.files = StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location("META-INF/resources/webjars/swagger-ui/" + webjarVersion())
                .welcome("index.html")
                .build());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(
                        "/swagger-initializer.js",
                        (req, res) -> res.header(HeaderValues.create("Content-Type", "text/javascript; charset=utf-8"))
                                .send(INITIALIZER))
                .register(files);
    }

    private static String webjarVersion() {
        try (InputStream in = OpenApiUi.class
                .getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
