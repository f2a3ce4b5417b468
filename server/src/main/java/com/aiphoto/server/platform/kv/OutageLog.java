package com.aiphoto.server.platform.kv;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/** Logs one warning when an outage starts and one line when it ends, not one per failed call. */
final class OutageLog {
    private final Logger log;
    private final String what;
    private final AtomicBoolean down = new AtomicBoolean();

    OutageLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    void failed(RuntimeException e) {
        if (down.compareAndSet(false, true)) {
            log.warn("{}: {}", what, e.getMessage());
        }
    }

    void ok() {
        if (down.get() && down.compareAndSet(true, false)) {
            log.info("{}: Redis is back", what);
        }
    }

    boolean isDown() {
        return down.get();
    }
}
