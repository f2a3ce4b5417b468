package com.aiphoto.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aiphoto.core.config.ConfigCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/Dockerfile and deploy/docker-compose.prod.yml, checked without a Docker engine: the compose file is
 * parsed, its variables are ones the code declares, what it mounts exists, the image is built the way CI builds.
 * Also the systemd units' stop timeout against the server's drain settings.
 */
class ContainerFilesTest {
    static final Path REPO =
            Path.of(System.getProperty("repo.dir", "..")).toAbsolutePath().normalize();
    static final Path DEPLOY = REPO.resolve("deploy");
    /** Interpolated by compose only (image tag, replica count): never read by the server or opsctl. */
    static final Set<String> COMPOSE_ONLY =
            Set.of("AI_PHOTO_IMAGE", "BACKEND_REPLICAS", "NGINX_SERVER_NAME", "NGINX_API_SERVER_NAME");
    /** Services built from deploy/Dockerfile: their environment is the application's configuration. */
    static final Set<String> OURS = Set.of("backend", "migrate", "certs");

    static Map<String, Object> compose;
    static String composeText;

    @BeforeAll
    static void parse() throws IOException {
        composeText = Files.readString(DEPLOY.resolve("docker-compose.prod.yml"));
        compose = new Yaml().load(composeText);
    }

    @Test
    void servicesAreAllThere() {
        assertEquals(
                Set.of("nginx", "backend", "migrate", "certs", "mysql", "redis"),
                services().keySet());
        assertEquals("mysql:8.0", service("mysql").get("image"));
        assertEquals("redis:7", service("redis").get("image"));
        for (String s : OURS) {
            assertEquals("${AI_PHOTO_IMAGE:-ai-photo:latest}", service(s).get("image"), s + " runs our image");
        }
        Map<String, Object> build = map(service("backend").get("build"));
        assertTrue(Files.isDirectory(DEPLOY.resolve((String) build.get("context"))));
        assertTrue(Files.isRegularFile(
                DEPLOY.resolve((String) build.get("context")).resolve((String) build.get("dockerfile"))));
        assertEquals(
                "${BACKEND_REPLICAS:-2}",
                String.valueOf(map(service("backend").get("deploy")).get("replicas")));
    }

    @Test
    void everyVariableOfOurServicesIsDeclaredInApplicationYaml() {
        ConfigCatalog catalog = ConfigCatalog.standard();
        List<String> unknown = new ArrayList<>();
        for (String s : OURS) {
            for (String name : map(service(s).get("environment")).keySet()) {
                if (!catalog.declares(name)) unknown.add(s + ": " + name);
            }
        }
        assertEquals(List.of(), unknown, "environment names the code does not read");
        // and every ${VAR} compose interpolates (from deploy/.env or the shell), in any service
        Matcher m = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)").matcher(composeText);
        Set<String> interpolated = new TreeSet<>();
        while (m.find()) interpolated.add(m.group(1));
        assertTrue(
                interpolated.containsAll(Set.of("DB_USER", "DB_PASSWORD", "REDIS_PASSWORD")), interpolated.toString());
        for (String name : interpolated) {
            assertTrue(catalog.declares(name) || COMPOSE_ONLY.contains(name), "${" + name + "} is not declared");
        }
    }

    @Test
    void ourServicesReadTheEnvFileMadeFromTheExample() throws IOException {
        for (String s : OURS) {
            List<Object> files = list(service(s).get("env_file"));
            assertEquals(".env", map(files.get(0)).get("path"), s);
        }
        assertTrue(Files.isRegularFile(DEPLOY.resolve(".env.example")));
        assertTrue(Files.readString(REPO.resolve(".gitignore")).lines().anyMatch(".env"::equals), ".env not in git");
    }

    @Test
    void databaseAndRedisListenOnLoopbackWithHealthChecksAndVolumes() {
        Set<String> named = map(compose.get("volumes")).keySet();
        for (String s : List.of("mysql", "redis")) {
            Map<String, Object> svc = service(s);
            for (Object port : list(svc.get("ports"))) {
                assertTrue(String.valueOf(port).startsWith("127.0.0.1:"), s + " publishes " + port);
            }
            assertTrue(map(svc.get("healthcheck")).containsKey("test"), s + " health check");
            String volume = String.valueOf(list(svc.get("volumes")).get(0));
            assertTrue(named.contains(volume.substring(0, volume.indexOf(':'))), s + " keeps its data in a volume");
        }
        assertFalse(service("backend").containsKey("ports"), "replicas are reached through nginx only");
    }

    @Test
    void migrateRunsOnceBeforeTheBackendAndCertsRenewAndReloadNginx() {
        Map<String, Object> migrate = service("migrate");
        assertEquals(List.of("opsctl", "db", "migrate"), migrate.get("command"));
        assertEquals("no", migrate.get("restart"));
        assertEquals(
                "service_completed_successfully",
                map(map(service("backend").get("depends_on")).get("migrate")).get("condition"));
        Map<String, Object> certs = service("certs");
        assertTrue(String.valueOf(certs.get("command")).contains("opsctl cert renew"));
        assertTrue(String.valueOf(certs.get("command")).contains("sleep 43200"), "every 12 h");
        assertEquals("service:nginx", certs.get("pid"), "the reload signal reaches nginx's master");
        assertEquals("kill -HUP 1", map(certs.get("environment")).get("NGINX_RELOAD_CMD"));
        // certs writes the volume nginx reads its certificates from
        assertTrue(list(certs.get("volumes")).contains("certs:/etc/nginx/ssl"));
        assertTrue(list(service("nginx").get("volumes")).contains("certs:/etc/nginx/ssl:ro"));
    }

    @Test
    void bindMountsOutsideNginxExist() {
        for (String mount : bindMounts()) {
            if (mount.startsWith("../nginx/")) continue;
            assertTrue(Files.exists(DEPLOY.resolve(mount)), mount + " does not exist in the repository");
        }
    }

    /** nginx/ comes with the cert/nginx work; until it is in this tree the check cannot run. */
    @Test
    void nginxMountsExist() {
        assumeTrue(Files.isDirectory(REPO.resolve("nginx")), "nginx/ is not in this tree yet");
        for (String mount : bindMounts()) {
            assertTrue(Files.exists(DEPLOY.resolve(mount)), mount + " does not exist in the repository");
        }
    }

    /** The nginx service renders the shipped templates with the shipped script: run that here with its settings. */
    @Test
    void theNginxServiceRendersTheShippedTemplatesForTheBackendReplicas() throws Exception {
        Map<String, Object> nginx = service("nginx");
        assertTrue(
                String.join(" ", stringList(nginx.get("entrypoint"))).contains("/opt/ai-photo/render.sh /etc/nginx"));
        assertTrue(list(nginx.get("volumes")).contains("../nginx:/opt/ai-photo/nginx:ro"));
        assertTrue(list(nginx.get("volumes")).contains("./nginx/render.sh:/opt/ai-photo/render.sh:ro"));
        Path out = Files.createTempDirectory("compose-nginx");
        ProcessBuilder pb =
                new ProcessBuilder("bash", DEPLOY.resolve("nginx/render.sh").toString(), out.toString());
        for (Map.Entry<?, ?> e : map(nginx.get("environment")).entrySet()) {
            String v = String.valueOf(e.getValue());
            pb.environment().put(String.valueOf(e.getKey()), v.startsWith("${") ? "example.test" : v);
        }
        pb.environment().put("NGINX_TEMPLATE_DIR", REPO.resolve("nginx").toString()); // the mount's source
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        String upstream = Files.readString(out.resolve("conf.d/upstream.conf"));
        assertTrue(upstream.contains("server backend:3000"), upstream);
        assertTrue(Files.readString(out.resolve("nginx.conf")).contains("user nginx"), "the image's nginx user");
    }

    private static List<String> stringList(Object o) {
        return list(o).stream().map(String::valueOf).toList();
    }

    @Test
    void dockerfileBuildsTheWayCiDoes() throws IOException {
        // CI: .ci/run -> deploy/dev/test.sh -> `mvn ... verify "$@"`
        assertTrue(Files.readString(REPO.resolve(".ci/run")).contains("deploy/dev/test.sh"));
        String ci = Files.readString(DEPLOY.resolve("dev/test.sh"))
                .lines()
                .map(String::strip)
                .filter(l -> l.startsWith("mvn ") && l.contains(" verify "))
                .findFirst()
                .orElseThrow()
                .replaceAll("\\s*\"\\$@\".*$", "");
        String docker = Files.readString(DEPLOY.resolve("Dockerfile")).replace("\\\n", " ");
        List<String> runs = docker.lines()
                .filter(l -> l.startsWith("RUN ") && l.contains("mvn "))
                .toList();
        assertEquals(1, runs.size(), runs.toString());
        String mvn = runs.get(0)
                .substring(runs.get(0).indexOf("mvn "))
                .replaceAll("\\s+", " ")
                .strip();
        // the one difference: no MariaDB/Redis in a build container, so the tests run in CI, not here
        assertEquals(ci + " -DskipTests", mvn);

        List<String> froms = docker.lines().filter(l -> l.startsWith("FROM ")).toList();
        assertTrue(froms.size() >= 2, "multi-stage");
        Matcher jre = Pattern.compile("^FROM eclipse-temurin:(\\d+)-jre").matcher(froms.get(froms.size() - 1));
        assertTrue(jre.find() && Integer.parseInt(jre.group(1)) >= 21, froms.get(froms.size() - 1));
        String runtime = docker.substring(docker.lastIndexOf("\nFROM "));
        assertTrue(runtime.contains("\nUSER ai-photo\n"), "runs as a non-root user");
        assertTrue(
                Pattern.compile("\nHEALTHCHECK .*CMD .*/health")
                        .matcher(runtime)
                        .find(),
                "HEALTHCHECK on /health");
        // what it copies is the packaging module's staging directory (the .deb's /usr/lib/ai-photo)
        assertTrue(runtime.contains("COPY --from=build /src/packaging/target/stage/lib/ /usr/lib/ai-photo/"));
        String pom = Files.readString(REPO.resolve("packaging/pom.xml"));
        assertTrue(pom.contains("<stage>${project.build.directory}/stage</stage>"));
        assertTrue(pom.contains("<copy todir=\"${stage}/lib\""));
        assertTrue(Files.isRegularFile(DEPLOY.resolve("Dockerfile.dockerignore")));
    }

    @Test
    void stopTimeoutsOutlastTheDrain() throws IOException {
        ConfigCatalog catalog = ConfigCatalog.standard();
        Duration drain = seconds(catalog.find("SHUTDOWN_DRAIN_DELAY")
                        .orElseThrow()
                        .defaultValue()
                        .orElseThrow())
                .plus(seconds(catalog.find("SHUTDOWN_TIMEOUT")
                        .orElseThrow()
                        .defaultValue()
                        .orElseThrow()));
        String unit = Files.readString(DEPLOY.resolve("systemd/ai-photo-api@.service"));
        assertTrue(seconds(directive(unit, "TimeoutStopSec")).compareTo(drain.plusSeconds(10)) >= 0);
        assertTrue(seconds(String.valueOf(service("backend").get("stop_grace_period")))
                        .compareTo(drain)
                > 0);
        for (String d : List.of(
                "Restart=on-failure",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "PrivateTmp=yes",
                "User=ai-photo",
                "Environment=PORT=%i",
                "ExecStart=/usr/lib/ai-photo/ai-photo-api")) {
            assertTrue(unit.lines().anyMatch(d::equals), d);
        }
        for (String d : List.of("StartLimitBurst", "StartLimitIntervalSec", "MemoryMax", "ReadWritePaths")) {
            assertFalse(directive(unit, d).isEmpty(), d);
        }
        // the heap the unit gives fits under its MemoryMax with room for the rest of the JVM
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(unit);
        assertTrue(xmx.find());
        long max = Long.parseLong(directive(unit, "MemoryMax").replace("M", ""));
        assertTrue(Long.parseLong(xmx.group(1)) * 3 / 2 <= max, "heap " + xmx.group(1) + "m, MemoryMax " + max);
    }

    private static String directive(String unit, String key) {
        return unit.lines()
                .filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1))
                .findFirst()
                .orElse("");
    }

    /** "20s", "5m", "0s": the forms the units, compose and the defaults use here. */
    private static Duration seconds(String s) {
        Matcher m = Pattern.compile("(\\d+)(s|min|m)").matcher(s.strip());
        assertTrue(m.matches(), s);
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
    }

    /** Sources of short-syntax bind mounts (./x, ../x, /x) over all services. */
    private static List<String> bindMounts() {
        List<String> out = new ArrayList<>();
        for (Object svc : services().values()) {
            for (Object v : list(map(svc).get("volumes"))) {
                String source = String.valueOf(v).split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) out.add(source);
            }
        }
        assertFalse(out.isEmpty());
        return out;
    }

    private static Map<String, Object> services() {
        return map(compose.get("services"));
    }

    private static Map<String, Object> service(String name) {
        return map(services().get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
