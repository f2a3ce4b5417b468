package com.aiphoto.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.EnvFile;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb, read with dpkg-deb (contents, modes, control fields, maintainer scripts) and, as root, installed
 * into this machine, run, reinstalled, removed and purged. The units are checked with systemd-analyze verify
 * against the installed paths (the binaries they name must exist).
 */
class DebPackageIT {
    static final Path DEB = Path.of(System.getProperty("deb.file", "target/ai-photo.deb"));
    static final String[] UNITS = {
        "ai-photo-api@.service",
        "ai-photo-backup.service",
        "ai-photo-backup.timer",
        "ai-photo-backup-verify.service",
        "ai-photo-backup-verify.timer",
        "ai-photo-cert-renew.service",
        "ai-photo-cert-renew.timer",
        "ai-photo-healthcheck.service",
        "ai-photo-healthcheck.timer"
    };
    /** The JRE packages of Depends: (one of them, or --force-depends where the JDK here is not a package). */
    static final List<String> JRE_PACKAGES = List.of(
            "openjdk-21-jre-headless",
            "openjdk-25-jre-headless",
            "temurin-21-jre",
            "temurin-25-jre",
            "temurin-21-jdk",
            "temurin-25-jdk",
            "java21-runtime-headless");

    /** path -> the `dpkg-deb -c` line (mode owner/group size date time path[ -> target]). */
    static Map<String, Entry> contents;

    record Entry(String mode, String owner, String path, String linkTarget) {}

    @BeforeAll
    static void listContents() throws Exception {
        assertTrue(Files.isRegularFile(DEB), "no package at " + DEB + ": build it with mvn package");
        contents = new HashMap<>();
        for (String line : run("dpkg-deb", "-c", DEB.toString()).out().split("\n")) {
            String[] f = line.trim().split("\\s+", 6);
            String rest = f[5];
            String target = null;
            int arrow = rest.indexOf(" -> ");
            if (arrow >= 0) {
                target = rest.substring(arrow + 4);
                rest = rest.substring(0, arrow);
            }
            String path = rest.startsWith("./") ? rest.substring(1) : rest;
            if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
            contents.put(path, new Entry(f[0], f[1], path, target));
        }
    }

    @Test
    void controlFieldsNameThePackageAndAJre21() throws Exception {
        assertEquals("ai-photo", field("Package"));
        assertEquals("all", field("Architecture"));
        assertTrue(field("Version").startsWith("1.0.0"), field("Version"));
        List<String> alternatives = List.of(field("Depends").split("\\s*\\|\\s*")).stream()
                .map(String::strip)
                .toList();
        assertEquals(JRE_PACKAGES, alternatives, "Depends: one JRE >= 21 from the list");
        // the maintainer scripts say what they do: useradd/groupadd come from passwd (essential on Debian)
        assertFalse(field("Depends").contains("17"), "Java 17 cannot run Helidon 4");
    }

    @Test
    void programsJarsAndLibsLiveUnderUsrLib() throws Exception {
        assertFile("/usr/lib/ai-photo/ai-photo-api", "-rwxr-xr-x");
        assertFile("/usr/lib/ai-photo/opsctl", "-rwxr-xr-x");
        assertFile("/usr/lib/ai-photo/ai-photo-api.jar", "-rw-r--r--");
        assertFile("/usr/lib/ai-photo/opsctl.jar", "-rw-r--r--");
        Entry link = contents.get("/usr/bin/opsctl");
        assertTrue(link != null && link.mode().startsWith("l"), "/usr/bin/opsctl is a symlink: " + link);
        assertEquals("/usr/lib/ai-photo/opsctl", link.linkTarget());
        for (Entry e : contents.values()) {
            assertEquals("root/root", e.owner(), e.path() + " is owned by root in the package");
            if (e.mode().startsWith("-")) {
                assertFalse(e.mode().charAt(8) == 'w', e.path() + " is world-writable");
            }
        }
        // nothing under /etc: the env file is made by postinst (see its comment), so no dpkg conffile either
        assertTrue(contents.keySet().stream().noneMatch(p -> p.startsWith("/etc/")), "nothing shipped in /etc");
        assertFile("/usr/share/ai-photo/ai-photo.env.example", "-rw-r--r--");
        assertFile("/usr/share/doc/ai-photo/configuration.md", "-rw-r--r--");
        for (String unit : UNITS) assertFile("/lib/systemd/system/" + unit, "-rw-r--r--");
    }

    @Test
    void everyJarOnBothClassPathsIsInTheSharedLibs(@TempDir Path root) throws Exception {
        run("dpkg-deb", "-x", DEB.toString(), root.toString());
        for (String jar : List.of("ai-photo-api.jar", "opsctl.jar")) {
            String classPath;
            try (JarFile j = new JarFile(root.resolve("usr/lib/ai-photo/" + jar).toFile())) {
                classPath = j.getManifest().getMainAttributes().getValue("Class-Path");
            }
            String[] entries = classPath.trim().split("\\s+");
            assertTrue(entries.length > 10, jar + " Class-Path: " + classPath);
            for (String entry : entries) {
                assertTrue(
                        Files.isRegularFile(root.resolve("usr/lib/ai-photo").resolve(entry)),
                        jar + " needs " + entry + ", not in the package");
            }
        }
    }

    @Test
    void manPagesShipWhereAsciidoctorMadeThem() throws Exception {
        assumeTrue(onPath("asciidoctor"), "asciidoctor is not installed: the build made no troff pages");
        assertFile("/usr/share/man/man1/opsctl.1.gz", "-rw-r--r--");
        long pages = contents.keySet().stream()
                .filter(p -> p.startsWith("/usr/share/man/man1/opsctl-"))
                .count();
        assertTrue(pages >= 5, "one page per subcommand, found " + pages);
    }

    @Test
    void maintainerScriptsAreExecutableAndParse(@TempDir Path control) throws Exception {
        run("dpkg-deb", "-e", DEB.toString(), control.toString());
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path p = control.resolve(script);
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), script);
            run("sh", "-n", p.toString());
        }
        assertFalse(Files.exists(control.resolve("conffiles")), "no conffiles: postinst owns the env file");
        String postinst = Files.readString(control.resolve("postinst"));
        assertTrue(postinst.contains("if [ ! -e \"$ENV_FILE\" ]"), "the env file is created only when absent");
        // the info dpkg shows
        String info = run("dpkg-deb", "-I", DEB.toString()).out();
        for (String s : List.of("postinst", "prerm", "postrm", "control")) assertTrue(info.contains(s), info);
    }

    /**
     * The install part (root only: it changes this machine, and undoes it). Installs, runs opsctl from the PATH,
     * verifies the units, checks user, directories and env file, then proves a reinstall keeps an edited env file,
     * remove keeps it and purge removes it.
     */
    @Test
    void installsRunsAndPurgesOnThisMachine() throws Exception {
        assumeTrue("0".equals(run("id", "-u").out().strip()), "not root: the dpkg -i part is skipped");
        Result known = run(List.of("dpkg-query", "-W", "-f=${Status}", "ai-photo"), true);
        assumeTrue(
                known.rc() != 0 || known.out().endsWith("not-installed"),
                "ai-photo is installed (or its configuration left) on this machine: not touching it");
        boolean userExisted = run(List.of("getent", "passwd", "ai-photo"), true).rc() == 0;
        // Other test runs on this machine may use the default BACKUP_DIR /var/backups/ai-photo (as root) meanwhile:
        // the clean-up gives back what existed and deletes only what this test made.
        Path lib = Path.of("/var/lib/ai-photo");
        Path backups = Path.of("/var/backups/ai-photo");
        String libOwner = ownerOf(lib);
        String backupsOwner = ownerOf(backups);
        try {
            List<String> install = new ArrayList<>(List.of("dpkg", "-i"));
            // This machine's JDK (Temurin 25 in /usr/lib/jvm) is not a dpkg package, so Depends: cannot be met;
            // the launchers find that JDK themselves.
            if (JRE_PACKAGES.stream().noneMatch(DebPackageIT::installed)) install.add("--force-depends");
            install.add(DEB.toString());
            Result installed = dpkg(install, false);
            String said = installed.out() + installed.err();
            assertFalse(said.contains("failed") || said.contains("Unmatched"), "postinst complained: " + said);
            assertTrue(said.contains("created /etc/ai-photo/ai-photo.env"), said);

            // opsctl from the PATH, with no JAVA_HOME: the launcher finds a Java >= 21 itself
            Result version = run(
                    List.of(
                            "env",
                            "-u",
                            "JAVA_HOME",
                            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                            "sh",
                            "-c",
                            "command -v opsctl && opsctl --version"),
                    false);
            assertTrue(version.out().startsWith("/usr/bin/opsctl\n"), version.out());
            assertTrue(version.out().contains("opsctl 1.0.0"), version.out());

            assertEquals(0, run(List.of("getent", "passwd", "ai-photo"), true).rc(), "system user created");
            String passwd = run("getent", "passwd", "ai-photo").out();
            assertTrue(passwd.strip().endsWith(":/var/lib/ai-photo:/usr/sbin/nologin"), passwd);
            assertTrue(Integer.parseInt(passwd.split(":")[2]) < 1000, "a system uid: " + passwd);
            assertMode("/var/lib/ai-photo", "rwxr-x---", "ai-photo");
            assertMode("/var/log/ai-photo", "rwxr-x---", "ai-photo");
            // (a directory that existed keeps its mode; only its owner is fixed)
            if (backupsOwner == null) assertMode("/var/backups/ai-photo", "rwx------", "ai-photo");
            assertEquals("ai-photo:ai-photo", ownerOf(backups), "the backup timer writes there as ai-photo");
            assertMode("/etc/ai-photo", "rwxr-x---", "root");
            Path env = Path.of("/etc/ai-photo/ai-photo.env");
            assertMode(env.toString(), "rw-------", "ai-photo");
            String envText = Files.readString(env);
            assertTrue(envText.contains("\nLOG_DIR=/var/log/ai-photo\n"), "LOG_DIR set to the package's place");
            assertTrue(envText.contains("\nDATA_DIR=/var/lib/ai-photo/data\n"), "DATA_DIR likewise");
            assertTrue(envText.contains("APP_ENV=production"), "made from .env.example");
            // postinst filled the secrets (opsctl secrets generate --write); DB_PASSWORD stays the operator's to set
            Map<String, String> values = EnvFile.read(env);
            for (String k : List.of("JWT_SECRET", "INTERNAL_CALLBACK_SECRET", "CREDENTIALS_ENCRYPTION_KEY")) {
                assertFalse(ConfigCheck.isPlaceholder(values.get(k)), k + " is still a placeholder");
            }
            assertTrue(ConfigCheck.isPlaceholder(values.get("DB_PASSWORD")), "DB_PASSWORD is never generated");

            verifyUnits();
            serverRunsAsTheServiceUser();

            // an operator's edits survive a reinstall (postinst configure with the old version)
            Files.writeString(env, envText + "JWT_SECRET=operator-chose-this-one-keep-it-please-123\n");
            run(List.of("chmod", "0600", env.toString()), false);
            dpkg(install, false);
            assertTrue(Files.readString(env).endsWith("JWT_SECRET=operator-chose-this-one-keep-it-please-123\n"));
            assertMode(env.toString(), "rw-------", "ai-photo");

            dpkg(List.of("dpkg", "-r", "ai-photo"), false);
            assertFalse(Files.exists(Path.of("/usr/lib/ai-photo")), "remove takes the programs (and CDS archives)");
            assertFalse(Files.exists(Path.of("/usr/bin/opsctl"), LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.exists(env), "remove keeps the configuration");

            dpkg(List.of("dpkg", "--purge", "ai-photo"), false);
            assertFalse(Files.exists(env), "purge removes the env file");
            assertFalse(Files.exists(Path.of("/etc/ai-photo")));
            assertFalse(Files.exists(Path.of("/var/log/ai-photo")), "purge removes the logs");
            assertTrue(Files.isDirectory(Path.of("/var/backups/ai-photo")), "purge never deletes backups");
            assertTrue(Files.isDirectory(Path.of("/var/lib/ai-photo")), "nor the data");
        } finally {
            dpkg(List.of("dpkg", "--purge", "ai-photo"), true);
            if (!userExisted) {
                run(List.of("userdel", "ai-photo"), true);
                run(List.of("groupdel", "ai-photo"), true);
            }
            run(List.of("rm", "-rf", "/var/lib/ai-photo/data", "/var/lib/ai-photo/.cache"), true);
            restore(lib, libOwner);
            restore(backups, backupsOwner);
        }
    }

    /**
     * The installed server as the service user, reading the created env file: in production it refuses the
     * example's placeholders (exit 2); in development it serves /health with its embedded database under
     * DATA_DIR=/var/lib/ai-photo/data and its logs in /var/log/ai-photo, and stops on SIGTERM.
     */
    private static void serverRunsAsTheServiceUser() throws Exception {
        List<String> asService = List.of(
                "runuser",
                "-u",
                "ai-photo",
                "--",
                "env",
                "-u",
                "JAVA_HOME",
                "AI_PHOTO_ENV_FILE=/etc/ai-photo/ai-photo.env");
        List<String> prod = new ArrayList<>(asService);
        prod.add("/usr/lib/ai-photo/ai-photo-api");
        Result refused = run(prod, true);
        assertEquals(2, refused.rc(), refused.out() + refused.err());
        // the secrets are filled; the database is still the example's
        assertTrue(refused.err().contains("DB_HOST is a placeholder"), refused.err());
        assertFalse(refused.err().contains("JWT_SECRET"), refused.err());

        int port;
        int admin;
        try (ServerSocket a = new ServerSocket(0);
                ServerSocket b = new ServerSocket(0)) {
            port = a.getLocalPort();
            admin = b.getLocalPort();
        }
        List<String> dev = new ArrayList<>(asService);
        dev.addAll(List.of(
                "APP_ENV=development",
                "DB_HOST=",
                "REDIS_HOST=",
                "COS_BUCKET=",
                // the example's WeChat Pay placeholders: payments off, as on a host without WeChat Pay yet
                "WECHAT_APPID=",
                "WECHAT_MCHID=",
                "WECHAT_API_KEY=",
                "WECHAT_CERT_PATH=",
                "WECHAT_CERT_SERIAL=",
                "WECHAT_PLATFORM_CERT_PATH=",
                "PORT=" + port,
                "ADMIN_PORT=" + admin,
                "/usr/lib/ai-photo/ai-photo-api"));
        Path log = Files.createTempFile("deb-it-server", ".log");
        Process server = new ProcessBuilder(dev)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int status = 0;
            while (status != 200 && server.isAlive() && System.nanoTime() < deadline) {
                try {
                    status = http.send(health, HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                } catch (IOException notYet) {
                    Thread.sleep(500);
                }
            }
            assertEquals(200, status, "GET /health of the installed server: " + Files.readString(log));
            assertTrue(Files.isRegularFile(Path.of("/var/log/ai-photo/combined.log")), "logs in /var/log/ai-photo");
            try (Stream<Path> files = Files.list(Path.of("/var/lib/ai-photo/data"))) {
                assertTrue(files.findAny().isPresent(), "embedded database under DATA_DIR");
            }
            server.destroy(); // SIGTERM to runuser, which passes it on
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
            assertTrue(Files.readString(log).contains("stopped"), Files.readString(log));
        } finally {
            server.destroyForcibly();
            Files.delete(log);
        }
    }

    /** "user:group" of path, or null when it does not exist. */
    private static String ownerOf(Path path) throws Exception {
        if (!Files.exists(path)) return null;
        return run("stat", "-c", "%U:%G", path.toString()).out().strip();
    }

    /** Gives path its owner back, or removes it when it did not exist (only when empty: not ours otherwise). */
    private static void restore(Path path, String owner) throws Exception {
        if (!Files.exists(path)) return;
        if (owner != null) {
            run(List.of("chown", owner, path.toString()), true);
        } else if (run(List.of("rmdir", path.toString()), true).rc() != 0) {
            run(List.of("chown", "root:root", path.toString()), true); // someone else's files: leave them
        }
    }

    /** systemd-analyze verify on the installed units (a template is verified through an instance of it). */
    private static void verifyUnits() throws Exception {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd)");
        List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
        for (String unit : UNITS) {
            cmd.add("/lib/systemd/system/" + unit.replace("@.service", "@3001.service"));
        }
        Result r = run(cmd, true);
        // verify also reports unrelated units of the host that the ones named pull in (e.g. mariadb.service
        // missing): only lines about our units count
        List<String> ours = Stream.of((r.out() + r.err()).split("\n"))
                .filter(l -> l.contains("ai-photo"))
                .toList();
        assertEquals(List.of(), ours, "systemd-analyze verify: " + r.out() + r.err());
        assertEquals(0, r.rc(), "systemd-analyze verify exit: " + r.out() + r.err());
    }

    /**
     * dpkg, waiting up to 2 minutes for its lock: an apt-get of another test run on this machine may hold it, and
     * dpkg itself does not wait.
     */
    private static Result dpkg(List<String> cmd, boolean mayFail) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Result r = run(cmd, true);
            boolean locked = r.rc() != 0 && r.err().contains("lock");
            if (!locked || System.nanoTime() > deadline) return mayFail ? r : succeeded(cmd, r);
            Thread.sleep(1000);
        }
    }

    private static boolean installed(String pkg) {
        try {
            return run(List.of("dpkg-query", "-W", "-f=${Status}", pkg), true)
                    .out()
                    .equals("install ok installed");
        } catch (Exception e) {
            return false;
        }
    }

    private static void assertMode(String path, String mode, String owner) throws IOException {
        PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class);
        assertEquals(mode, PosixFilePermissions.toString(a.permissions()), path);
        assertEquals(owner, a.owner().getName(), path);
    }

    private static void assertFile(String path, String mode) {
        Entry e = contents.get(path);
        assertTrue(e != null, path + " is not in the package");
        assertEquals(mode, e.mode(), path);
    }

    private static String field(String name) throws Exception {
        return run("dpkg-deb", "-f", DEB.toString(), name).out().strip();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    record Result(int rc, String out, String err) {}

    static Result run(String... cmd) throws Exception {
        return run(List.of(cmd), false);
    }

    /** Runs cmd without stdin; unless mayFail, a non-zero exit fails the test with both outputs. */
    static Result run(List<String> cmd, boolean mayFail) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Path err = Files.createTempFile("deb-it", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        String errText = Files.readString(err);
        Files.delete(err);
        Result r = new Result(rc, out, errText);
        return mayFail ? r : succeeded(cmd, r);
    }

    /** r, or a failure with both outputs when it exited non-zero. */
    private static Result succeeded(List<String> cmd, Result r) {
        if (r.rc() != 0)
            throw new AssertionError(String.join(" ", cmd) + " exited " + r.rc() + "\n" + r.out() + r.err());
        return r;
    }
}
