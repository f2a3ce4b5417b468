package com.aiphoto.opsctl;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/** logback.xml keeps opsctl quiet (WARN+ on stderr); -v lowers the root level. */
final class Logging {
    private Logging() {
    }

    static void verbose() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.DEBUG);
        }
    }
}
