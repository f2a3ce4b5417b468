package com.aiphoto.opsctl.health;

import com.aiphoto.opsctl.check.CheckResult;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.health.Observation.State;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The observations of one round as every output needs them: the table, the monitoring line with perfdata, and an
 * {@code application/health+json} style document ({@code status} pass|warn|fail, {@code checks} keyed
 * {@code component:measurement}, each an array of entries with {@code observedValue}, {@code observedUnit},
 * {@code status} and {@code time}). Any failed check is CRITICAL, any warning WARNING; skipped checks count as
 * neither.
 */
record HealthReport(List<Observation> observations) {
    HealthReport {
        observations = List.copyOf(observations);
    }

    State state() {
        State worst = State.PASS;
        for (Observation o : observations) {
            if (o.state() == State.FAIL) {
                return State.FAIL;
            }
            if (o.state() == State.WARN) {
                worst = State.WARN;
            }
        }
        return worst;
    }

    CheckStatus status() {
        return switch (state()) {
            case FAIL -> CheckStatus.CRITICAL;
            case WARN -> CheckStatus.WARNING;
            default -> CheckStatus.OK;
        };
    }

    List<Observation> problems() {
        return observations.stream()
                .filter(o -> o.state() == State.FAIL || o.state() == State.WARN)
                .sorted((a, b) -> b.state().compareTo(a.state()))
                .toList();
    }

    /** "database:connectTime fail: cannot connect ...; redis:ping warn: ..." or the counts when all is well. */
    String summary() {
        List<Observation> problems = problems();
        if (!problems.isEmpty()) {
            return String.join(
                    "; ",
                    problems.stream()
                            .map(o -> o.label() + " " + o.state().json() + ": " + o.output())
                            .toList());
        }
        long skipped =
                observations.stream().filter(o -> o.state() == State.SKIPPED).count();
        return (observations.size() - skipped) + " checks pass" + (skipped == 0 ? "" : ", " + skipped + " skipped");
    }

    /** {@code STATUS | perfdata}: every measured figure with its thresholds. */
    SequencedMap<String, Object> perfdata() {
        SequencedMap<String, Object> perf = new LinkedHashMap<>();
        for (Observation o : observations) {
            if (o.perf() != null) {
                perf.put(o.label(), o.perf());
            }
        }
        return perf;
    }

    List<String> table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CHECK", "STATUS", "VALUE", "DETAIL"});
        for (Observation o : observations) {
            rows.add(new String[] {o.label(), o.state().json(), figure(o), o.output()});
        }
        int[] width = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            out.add(String.format("%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s", (Object[]) r)
                    .stripTrailing());
        }
        return out;
    }

    /** The figure as a person reads it: "78.8 GiB", "3h 12m", "12 ms", "45 days". */
    private static String figure(Observation o) {
        if (o.value() == null) {
            return "-";
        }
        long v = o.value().longValue();
        return switch (o.unit()) {
            case "B" -> Format.bytes(v);
            case "s" -> Format.age(Duration.ofSeconds(v));
            case "d" -> Format.plural(v, "day");
            case "migrations" -> v + " pending";
            default -> o.value() + " " + o.unit();
        };
    }

    /** One entry of a health+json check. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(
            String componentId, Number observedValue, String observedUnit, State status, Instant time, String output) {}

    /** The document: {@code {"status":..., "description":..., "checks":{key:[entry...]}}}. */
    record Document(State status, String description, Map<String, List<Entry>> checks) {}

    Document document() {
        Map<String, List<Entry>> checks = new LinkedHashMap<>();
        for (Observation o : observations) {
            checks.computeIfAbsent(o.key(), k -> new ArrayList<>())
                    .add(new Entry(o.componentId(), o.value(), o.unit(), o.state(), o.time(), o.output()));
        }
        return new Document(state(), "ai-photo health (opsctl)", checks);
    }

    CheckResult result() {
        String summary = summary();
        return new CheckResult(status(), summary, summary, perfdata(), table(), document());
    }
}
