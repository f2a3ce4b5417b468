package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import com.aiphoto.core.config.Cidr;
import org.junit.jupiter.api.Test;

class ClientIpTest {
    @Test
    void trustsOnlyTheConfiguredBlocks() throws Exception {
        ClientIp ip = new ClientIp(Cidr.parseList("127.0.0.1/32,10.0.0.0/8,::1/128"));
        assertTrue(ip.isTrusted(InetAddress.getByName("10.1.2.3")));
        assertTrue(ip.isTrusted(InetAddress.getByName("::1")));
        assertFalse(ip.isTrusted(InetAddress.getByName("11.0.0.1")));
        assertFalse(ip.isTrusted(InetAddress.getByName("127.0.0.2")));
    }
}
