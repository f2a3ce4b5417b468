package com.aiphoto.core.config;

import java.util.ArrayList;
import java.util.List;

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

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
