package com.aiphoto.server.auth;

import com.aiphoto.core.account.Role;
import java.time.Instant;

/** An account as stored. {@code passwordHash} never leaves the server. */
public record User(
        long id,
        String phone,
        String wechatOpenid,
        String wechatUnionid,
        String passwordHash,
        String nickname,
        Role role,
        Instant memberExpiresAt,
        int quotaBalance,
        Instant createdAt) {

    public boolean isMember(Instant now) {
        return memberExpiresAt != null && memberExpiresAt.isAfter(now);
    }

    public boolean hasPassword() {
        return passwordHash != null;
    }
}
