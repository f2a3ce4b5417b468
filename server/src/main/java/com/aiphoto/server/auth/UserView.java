package com.aiphoto.server.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The {@code user} object of the API. The phone is shown in full only to its owner. */
public record UserView(
        long id,
        String phone,
        String nickname,
        String role,
        @JsonProperty("isMember") boolean isMember,
        int quotaRemaining,
        Instant memberExpiresAt,
        @JsonProperty("hasPassword") boolean hasPassword,
        Instant createdAt) {

    public static UserView of(User u, boolean owner, Instant now) {
        return new UserView(
                u.id(),
                owner ? u.phone() : Phones.mask(u.phone()),
                u.nickname(),
                u.role().id(),
                u.isMember(now),
                u.quotaBalance(),
                u.memberExpiresAt(),
                u.hasPassword(),
                u.createdAt());
    }
}
