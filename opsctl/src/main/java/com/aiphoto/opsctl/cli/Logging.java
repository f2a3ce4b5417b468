package com.aiphoto.opsctl.cli;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/** logback.xml keeps opsctl quiet (WARN+ on stderr); -v lowers the root level. */
public final class Logging {
    private Logging() {
    }

    public static void verbose() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.DEBUG);
        }
    }
}
