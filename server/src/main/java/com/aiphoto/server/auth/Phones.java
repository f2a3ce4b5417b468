package com.aiphoto.server.auth;

import java.util.regex.Pattern;

import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;

/** Mainland China mobile numbers: validation and masking (138****1234). */
public final class Phones {
    private static final Pattern CN_MOBILE = Pattern.compile("1[3-9]\\d{9}");

    private Phones() {
    }

    /** The number, or 400/2000. */
    public static String require(String phone) {
        if (phone == null || !CN_MOBILE.matcher(phone).matches()) {
            throw new ApiException(ErrorCode.AUTH_VALIDATION, "phone must be a mainland mobile number (11 digits)");
        }
        return phone;
    }

    public static String mask(String phone) {
        if (phone == null || phone.length() < 7) {
            return phone == null ? null : "****";
        }
        return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
    }
}
