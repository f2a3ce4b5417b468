package com.aiphoto.server.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Development and test only: the code goes to the log. {@link AuthModule} never selects it in production. */
final class LogSmsSender implements SmsSender {
    private static final Logger LOG = LoggerFactory.getLogger(LogSmsSender.class);

    @Override
    public void sendCode(String phone, String code, int minutes) {
        LOG.info(
                "verification code for {}: {} (valid {} min; SMS not configured, development only)",
                Phones.mask(phone),
                code,
                minutes);
    }
}
