package com.aiphoto.server.auth;

/** Delivers a login code to a phone. */
interface SmsSender {
    /**
     * @param phone  mainland mobile number, 11 digits
     * @param code   the 6-digit code
     * @param minutes how long the code is valid, for the message template
     * @throws com.aiphoto.server.platform.ApiException 502-class failure when the provider refuses or is down
     */
    void sendCode(String phone, String code, int minutes);
}
