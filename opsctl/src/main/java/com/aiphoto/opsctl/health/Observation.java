package com.aiphoto.opsctl.health;

import com.aiphoto.opsctl.check.Perf;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * One measurement of one component, as a health+json check entry: {@code key} is {@code component:measurement},
 * {@code componentId} tells apart several of one kind (certificates), {@code value}/{@code unit} is the figure
 * ({@code null} when it could not be measured) and {@code perf} the same figure with thresholds for --nagios.
 */
record Observation(
        String key,
        String componentId,
        State state,
        Number value,
        String unit,
        Perf perf,
        String output,
        Instant time) {

    /** health+json's pass/warn/fail, and skipped for a check that cannot run here (nothing configured). */
    enum State {
        PASS,
        WARN,
        FAIL,
        SKIPPED;

        @JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Observation of(String key, State state, Perf perf, String unit, String output) {
        return new Observation(key, null, state, perf == null ? null : perf.value(), unit, perf, output, Instant.now());
    }

    static Observation skipped(String key, String why) {
        return new Observation(key, null, State.SKIPPED, null, null, null, why, Instant.now());
    }

    static Observation failed(String key, String why) {
        return new Observation(key, null, State.FAIL, null, null, null, why, Instant.now());
    }

    Observation withComponentId(String id) {
        return new Observation(key, id, state, value, unit, perf, output, time);
    }

    /** The key with the component id, for perfdata labels and the table. */
    String label() {
        return componentId == null ? key : key + ":" + componentId;
    }

    /** WARN over warn, FAIL over crit (a value that is bad when high), as a monitoring threshold "N" reads. */
    static State upTo(double value, double warn, double crit) {
        return value > crit ? State.FAIL : value > warn ? State.WARN : State.PASS;
    }

    /** WARN under warn, FAIL under crit (a value that is bad when low), as a monitoring threshold "N:" reads. */
    static State atLeast(double value, double warn, double crit) {
        return value < crit ? State.FAIL : value < warn ? State.WARN : State.PASS;
    }
}
