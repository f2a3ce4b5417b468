package com.aiphoto.opsctl.health;

import com.aiphoto.opsctl.cli.OpsDatabase;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One unit of checking that runs on its own thread: it yields the observations of {@code keys}. When it throws
 * or is still running at the deadline, each of its keys is reported as failed with the reason, so a probe that
 * hangs or breaks costs only its own checks.
 */
record Probe(String name, List<String> keys, Callable<List<Observation>> body) {
    List<Observation> late(String why) {
        return keys.stream().map(k -> Observation.failed(k, why)).toList();
    }

    List<Observation> broken(Exception e) {
        return late(name + " check failed: " + OpsDatabase.rootCause(e));
    }
}
