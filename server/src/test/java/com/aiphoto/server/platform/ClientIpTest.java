package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Cidr;
import java.net.InetAddress;
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

    @Test
    void forwardedHopsAreIpLiteralsNeverNames() throws Exception {
        // issue 8 #11: "deadbeef.cafe.de" passed the hex check and went to DNS on every request
        for (String name : new String[] {"deadbeef.cafe.de", "cafe", "beef.de", "127.1", "1", "0x7f000001"}) {
            assertNull(ClientIp.parse(name), name);
        }
        assertEquals(InetAddress.getByName("203.0.113.7"), ClientIp.parse("203.0.113.7"));
        assertEquals(InetAddress.getByName("2001:db8::1"), ClientIp.parse("2001:db8::1"));
        assertNull(ClientIp.parse("2001:db8::zz"));
    }

    @Test
    void limitsKeyIpv6ByItsSlash64() {
        // issue 8 #9, #10: each IPv6 address was counted on its own, so one /64 was effectively unlimited
        assertEquals("2001:db8:1:2::/64", ClientIp.limitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals(ClientIp.limitKey("2001:db8:1:2::1"), ClientIp.limitKey("2001:0db8:0001:0002:ffff::9"));
        assertFalse(ClientIp.limitKey("2001:db8:1:2::1").equals(ClientIp.limitKey("2001:db8:1:3::1")));
        assertEquals("203.0.113.7", ClientIp.limitKey("203.0.113.7"));
        assertEquals("unknown", ClientIp.limitKey("unknown"));
    }
}
