package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;

/** The hand-written access line against logstash-logback-encoder's line for the same event. */
class AccessLogEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoggingEvent event(String path) {
        LoggerContext ctx = new LoggerContext();
        LoggingEvent e =
                new LoggingEvent("fqcn", ctx.getLogger("access"), Level.INFO, "{} {} {} {}ms", null, new Object[] {
                    "GET",
                    path,
                    200,
                    3L,
                    new AccessLogEncoder.Field("method", "GET"),
                    new AccessLogEncoder.Field("path", path),
                    new AccessLogEncoder.Field("status", 200),
                    new AccessLogEncoder.Field("durationMs", 3.25),
                    new AccessLogEncoder.Field("bytes", 123L),
                    new AccessLogEncoder.Field("clientIp", null)
                });
        e.setMDCPropertyMap(Map.of("requestId", "req-1"));
        e.setThreadName("thread \"1\"");
        return e;
    }

    private static JsonNode line(byte[] bytes) throws Exception {
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, "one line: " + text);
        return JSON.readTree(text);
    }

    @Test
    void theLineHasLogstashsFieldsAndTheStructuredOnesTyped() throws Exception {
        String path = "/a\"b\\c\u0001\u2028d";
        LoggingEvent event = event(path);
        JsonNode mine = line(new AccessLogEncoder().encode(event));
        LogstashEncoder logstash = new LogstashEncoder();
        logstash.setIncludeContext(false);
        logstash.setContext(new LoggerContext());
        logstash.start();
        JsonNode theirs = line(logstash.encode(event));
        for (String field :
                new String[] {"@version", "message", "logger_name", "thread_name", "level", "level_value", "requestId"
                }) {
            assertEquals(theirs.get(field), mine.get(field), field);
        }
        assertEquals(
                OffsetDateTime.parse(theirs.get("@timestamp").asText()).toInstant(),
                OffsetDateTime.parse(mine.get("@timestamp").asText()).toInstant());
        assertEquals(path, mine.get("path").asText(), "escaped and read back");
        assertEquals("GET", mine.get("method").asText());
        assertEquals(200, mine.get("status").intValue());
        assertTrue(mine.get("status").isIntegralNumber());
        assertEquals(3.25, mine.get("durationMs").doubleValue());
        assertEquals(123L, mine.get("bytes").longValue());
        assertTrue(mine.get("clientIp").isNull());
        assertEquals("GET " + path + " 200 3ms", mine.get("message").asText());
    }
}
