package com.aiphoto.opsctl.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.opsctl.Cli;
import java.util.List;
import java.util.Map;

/** Reading the --json document of cert init, renew and install in the tests. */
final class CertDocument {
    private CertDocument() {}

    /** Asserts stdout is one JSON document and nothing else, with {@code ok} and one certificate; returns it. */
    static Map<?, ?> onlyCertificate(Cli.Result r, boolean ok) {
        assertEquals(1, r.out().strip().lines().count(), r.out());
        Map<?, ?> doc = Cli.json(r.out());
        assertEquals(ok, doc.get("ok"), r.out());
        List<?> certs = (List<?>) doc.get("certificates");
        assertEquals(1, certs.size(), r.out());
        return (Map<?, ?>) certs.getFirst();
    }
}
