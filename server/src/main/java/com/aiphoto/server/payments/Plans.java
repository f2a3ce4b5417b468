package com.aiphoto.server.payments;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.config.Settings;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The plan table: api.md's defaults, or the {@code PLANS} JSON array. Prices come only from here, never from a
 * client. Validated at start, so a typo in PLANS stops the server instead of selling a wrong price.
 */
final class Plans {
    static final List<Plan> DEFAULTS = List.of(
            new Plan("monthly", "月度会员", 9900, 100, 30),
            new Plan("quarterly", "季度会员", 24900, 300, 90),
            new Plan("yearly", "年度会员", 89900, 1200, 365));
    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,32}");
    /** WeChat Pay's order description (our plan name) is at most 127 bytes. */
    private static final int MAX_NAME = 40;

    private final Map<String, Plan> byId = new LinkedHashMap<>();

    Plans(List<Plan> plans) {
        if (plans.isEmpty()) {
            throw new ConfigException("PLANS must name at least one plan");
        }
        for (Plan p : plans) {
            validate(p);
            if (byId.putIfAbsent(p.id(), p) != null) {
                throw new ConfigException("PLANS: plan id " + p.id() + " appears twice");
            }
        }
    }

    static Plans from(Settings s) {
        return s.find("PLANS").filter(v -> !v.isBlank()).map(Plans::parse).orElseGet(() -> new Plans(DEFAULTS));
    }

    static Plans parse(String json) {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                // 1.5 is not a number of cents (Jackson would truncate it to 1)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        try {
            return new Plans(mapper.readValue(json, new TypeReference<List<Plan>>() {}));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the message names the field and position, never more than PLANS itself
            throw new ConfigException(
                    "PLANS is not a JSON array of {id, name, amount, quota, durationDays}: " + e.getOriginalMessage());
        }
    }

    Optional<Plan> byId(String id) {
        return Optional.ofNullable(id).map(byId::get);
    }

    List<Plan> all() {
        return List.copyOf(byId.values());
    }

    private static void validate(Plan p) {
        if (p.id() == null || !ID.matcher(p.id()).matches()) {
            throw new ConfigException("PLANS: plan id must match " + ID + ", got " + p.id());
        }
        if (p.name() == null || p.name().isBlank() || p.name().length() > MAX_NAME) {
            throw new ConfigException("PLANS: plan " + p.id() + " needs a name of 1.." + MAX_NAME + " characters");
        }
        if (p.amountCents() <= 0) {
            throw new ConfigException("PLANS: plan " + p.id() + " amount must be positive cents");
        }
        if (p.quota() < 0 || p.durationDays() <= 0) {
            throw new ConfigException("PLANS: plan " + p.id() + " needs quota >= 0 and durationDays > 0");
        }
    }
}
