package com.aiphoto.core.account;

import java.util.regex.Pattern;

/** Mainland China mobile numbers, the account key: one rule for the API and for opsctl. */
public final class PhoneNumbers {
    private static final Pattern CN_MOBILE = Pattern.compile("1[3-9]\\d{9}");

    private PhoneNumbers() {}

    public static boolean isValid(String phone) {
        return phone != null && CN_MOBILE.matcher(phone).matches();
    }

    /** 138****1234: enough to recognise, not enough to use. */
    public static String mask(String phone) {
        if (phone == null || phone.length() < 7) {
            return phone == null ? null : "****";
        }
        return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
    }
}
