package com.aiphoto.server.platform;

import io.helidon.http.Status;

/** The stable error codes of the API (spec api.md); clients switch on {@link #code()}, not on messages. */
public enum ErrorCode {
    NOT_LOGGED_IN(1001, 401, "not logged in"),
    MEMBERSHIP_REQUIRED(1002, 403, "membership required or expired"),
    QUOTA_EXHAUSTED(1003, 403, "not enough quota"),
    USER_NOT_FOUND(1004, 404, "user not found"),
    AUTH_VALIDATION(2000, 400, "invalid input"),
    WRONG_CODE(2001, 400, "wrong or expired verification code"),
    TOO_MANY_CODE_ATTEMPTS(2002, 429, "too many wrong attempts; request a new code"),
    CODE_TOO_OFTEN_PHONE(2004, 429, "code requested too often for this phone"),
    CODE_TOO_OFTEN_IP(2005, 429, "code requested too often from this address"),
    WECHAT_LOGIN_FAILED(2006, 400, "WeChat login failed"),
    WRONG_PASSWORD(2007, 401, "wrong phone or password"),
    REFRESH_INVALID(2008, 401, "refresh token invalid, expired or reused"),
    UNKNOWN_PLAN(3001, 400, "unknown plan"),
    ORDER_NOT_FOUND(3002, 404, "order not found"),
    ORDER_NOT_PAYABLE(3003, 409, "order not payable"),
    PAYMENT_PROVIDER_UNAVAILABLE(3004, 502, "payment provider unavailable"),
    INVALID_PARAMETER(4001, 400, "invalid parameter"),
    PAYLOAD_TOO_LARGE(4001, 413, "request body too large"),
    FORBIDDEN(4003, 403, "forbidden"),
    NOT_FOUND(4004, 404, "resource not found"),
    METHOD_NOT_ALLOWED(4005, 405, "method not allowed"),
    RATE_LIMITED(4029, 429, "rate limited"),
    NO_ROUTE(4040, 404, "no such route"),
    UNAVAILABLE(5030, 503, "service temporarily unavailable"),
    INTERNAL(9999, 500, "internal error");

    private final int code;
    private final Status status;
    private final String message;

    ErrorCode(int code, int status, String message) {
        this.code = code;
        this.status = Status.create(status);
        this.message = message;
    }

    public int code() {
        return code;
    }

    public Status status() {
        return status;
    }

    public String defaultMessage() {
        return message;
    }
}
