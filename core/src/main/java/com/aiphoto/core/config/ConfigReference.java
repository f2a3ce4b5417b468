package com.aiphoto.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The configuration reference ({@code deploy/configuration.md}) rendered from the {@link ConfigCatalog}, so the
 * reference cannot disagree with the defaults and types the code uses. A test keeps the committed file current.
 */
public final class ConfigReference {
    private ConfigReference() {}

    public static String markdown(ConfigCatalog catalog) {
        StringBuilder b = new StringBuilder();
        b.append("# Configuration reference\n\n")
                .append("<!-- generated from core/src/main/resources/application.yaml by ConfigReferenceTest; ")
                .append("edit that file, then run the test with -Dconfig.reference.update=true -->\n\n")
                .append("Environment variables, read by the server and by opsctl. An env file (`--env-file`, ")
                .append("`AI_PHOTO_ENV_FILE`, else `./.env`, else `/etc/ai-photo/ai-photo.env` for opsctl) overrides ")
                .append("the defaults, and real environment variables override both. `opsctl config check` ")
                .append("validates a configuration the way the server will; in production the server refuses to ")
                .append("start on a missing required value, a placeholder (`your_...`, `changeme`) or a weak ")
                .append("secret, listing every problem.\n\n")
                .append("Durations are written `30s`, `5m`, `2h`, `7d`; sizes `512KB`, `1MiB`, `1GB`. Secrets are ")
                .append("never printed by opsctl or logged by the server.\n");
        String section = null;
        for (ConfigCatalog.Variable v : catalog.variables()) {
            if (!v.section().equals(section)) {
                section = v.section();
                b.append("\n## ").append(section).append("\n\n");
                b.append("| variable | default | type | meaning |\n|---|---|---|---|\n");
            }
            List<String> type = new ArrayList<>(List.of(v.type()));
            if (v.requiredInProduction()) {
                type.add("required in production");
            }
            if (v.secret()) {
                type.add("secret");
            }
            b.append("| `")
                    .append(v.name())
                    .append("` | ")
                    .append(v.defaultValue().map(d -> "`" + d + "`").orElse("–"))
                    .append(" | ")
                    .append(cell(String.join("; ", type)))
                    .append(" | ")
                    .append(cell(v.description()))
                    .append(" |\n");
        }
        return b.toString();
    }

    /**
     * {@code deploy/.env.example}: every variable, commented. Those production requires are set to placeholders
     * ({@code your_...}) that config check rejects, so a copied example cannot start a server until each is filled
     * in; the others are commented out with their defaults.
     */
    public static String envExample(ConfigCatalog catalog) {
        StringBuilder b = new StringBuilder();
        b.append("# ai-photo configuration for a production host: copy to /etc/ai-photo/ai-photo.env (mode 0600,\n")
                .append("# owned by the service user), then replace every your_... value; `opsctl secrets generate")
                .append(" --write`\n")
                .append("# fills the secrets and `opsctl config check` lists what is still missing. Commented lines")
                .append(" show\n")
                .append(
                        "# the defaults. Generated from core/src/main/resources/application.yaml (ConfigReferenceTest);")
                .append(" the\n")
                .append("# reference with every variable's meaning is deploy/configuration.md.\n");
        String section = null;
        for (ConfigCatalog.Variable v : catalog.variables()) {
            if (!v.section().equals(section)) {
                section = v.section();
                b.append("\n## ").append(section).append("\n");
            }
            if (!v.description().isEmpty()) {
                b.append("# ").append(v.description()).append("\n");
            }
            if ("APP_ENV".equals(v.name())) {
                b.append("APP_ENV=production\n");
            } else if (v.requiredInProduction()) {
                b.append(v.name())
                        .append("=your_")
                        .append(v.name().toLowerCase(Locale.ROOT))
                        .append("\n");
            } else {
                b.append("#")
                        .append(v.name())
                        .append("=")
                        .append(v.defaultValue().orElse(""))
                        .append("\n");
            }
        }
        return b.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
