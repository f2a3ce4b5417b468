package com.aiphoto.server.auth;

import com.aiphoto.core.account.PhoneNumbers;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;

/** Phone input of the auth API: the shared rule, failing as 400/2000. */
final class Phones {
    private Phones() {}

    /** The number, or 400/2000. */
    public static String require(String phone) {
        if (!PhoneNumbers.isValid(phone)) {
            throw new ApiException(ErrorCode.AUTH_VALIDATION, "phone must be a mainland mobile number (11 digits)");
        }
        return phone;
    }

    public static String mask(String phone) {
        return PhoneNumbers.mask(phone);
    }
}
