package com.aiphoto.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed reference is the one application.yaml renders to, and the declaration format is enforced. */
class ConfigReferenceTest {
    private static final Path REFERENCE = Path.of("..", "deploy", "configuration.md");
    private static final Path ENV_EXAMPLE = Path.of("..", "deploy", ".env.example");

    @Test
    void theCommittedReferenceIsCurrent() throws IOException {
        String rendered = ConfigReference.markdown(ConfigCatalog.standard());
        if (Boolean.getBoolean("config.reference.update")) {
            Files.writeString(REFERENCE, rendered, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(REFERENCE), REFERENCE.toAbsolutePath() + " is missing");
        assertEquals(
                Files.readString(REFERENCE, StandardCharsets.UTF_8),
                rendered,
                "deploy/configuration.md is stale: run ConfigReferenceTest with -Dconfig.reference.update=true");
    }

    @Test
    void theCommittedEnvExampleIsCurrentAndCannotStartAProductionServer() throws IOException {
        String rendered = ConfigReference.envExample(ConfigCatalog.standard());
        if (Boolean.getBoolean("config.reference.update")) {
            Files.writeString(ENV_EXAMPLE, rendered, StandardCharsets.UTF_8);
        }
        assertEquals(
                Files.readString(ENV_EXAMPLE, StandardCharsets.UTF_8),
                rendered,
                "deploy/.env.example is stale: run ConfigReferenceTest with -Dconfig.reference.update=true");
        Settings s = Settings.load(java.util.Map.of(), ENV_EXAMPLE, java.util.List.of());
        assertTrue(s.isProduction());
        ConfigCheck.Report r = ConfigCheck.check(s);
        for (ConfigCatalog.Variable v : ConfigCatalog.standard().variables()) {
            assertTrue(
                    rendered.contains("\n" + v.name() + "=") || rendered.contains("\n#" + v.name() + "="),
                    v.name() + " missing from .env.example");
            if (v.requiredInProduction()) {
                assertTrue(
                        r.problems().stream().anyMatch(p -> p.startsWith(v.name() + " ")),
                        v.name() + "'s placeholder passed config check: " + r.problems());
            }
        }
    }

    @Test
    void everyDefaultIsTheOneSettingsLoads() {
        Settings defaults = Settings.of(java.util.Map.of());
        for (ConfigCatalog.Variable v : ConfigCatalog.standard().variables()) {
            if (v.defaultValue().isPresent()) {
                assertEquals(v.defaultValue().get(), defaults.get(v.name()), v.name());
            } else {
                assertTrue(defaults.find(v.name()).isEmpty(), v.name() + " is declared without a default");
            }
        }
        assertEquals(
                Settings.defaultKeys().size(),
                ConfigCatalog.standard().variables().stream()
                        .filter(v -> v.defaultValue().isPresent())
                        .count());
    }

    @Test
    void theDeclaredTypesAreParsed() {
        ConfigCatalog c = ConfigCatalog.standard();
        ConfigCatalog.Variable cost = c.find("BCRYPT_COST").orElseThrow();
        assertEquals(ConfigCatalog.Kind.INTEGER, cost.kind());
        assertEquals(10, cost.min());
        assertEquals(16, cost.max());
        ConfigCatalog.Variable jwt = c.find("JWT_SECRET").orElseThrow();
        assertTrue(
                jwt.requiredInProduction() && jwt.secret() && jwt.defaultValue().isEmpty());
        assertEquals(
                java.util.List.of("mysql", "mariadb"),
                c.find("DB_DRIVER").orElseThrow().choices());
        assertEquals("Database", c.find("DB_HOST").orElseThrow().section());
    }

    @Test
    void malformedDeclarationsAreRefusedWithTheLine() {
        assertTrue(assertThrows(IllegalStateException.class, () -> ConfigCatalog.parse("# a key\nX: 1\n"))
                .getMessage()
                .contains("line 2: X has no '# type:' line"));
        assertTrue(assertThrows(IllegalStateException.class, () -> ConfigCatalog.parse("# type: colour\nX: red\n"))
                .getMessage()
                .contains("unknown type 'colour'"));
        assertTrue(assertThrows(IllegalStateException.class, () -> ConfigCatalog.parse("# type: string; loud\nX: a\n"))
                .getMessage()
                .contains("unknown flag 'loud'"));
        assertTrue(assertThrows(
                        IllegalStateException.class,
                        () -> ConfigCatalog.parse("# type: string\nX: a\n# type: string\n#X:\n"))
                .getMessage()
                .contains("X declared twice"));
        assertTrue(assertThrows(IllegalStateException.class, () -> ConfigCatalog.parse("# type: integer\nX: 1\n"))
                .getMessage()
                .contains("integer MIN..MAX"));
    }
}
