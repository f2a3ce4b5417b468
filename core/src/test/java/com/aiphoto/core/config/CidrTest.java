package com.aiphoto.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** IPv4 and IPv6 blocks, and bare addresses (a single host): prefix, an address inside, one just outside. */
    @ParameterizedTest
    @CsvSource({
        "10.1.0.0/16, 16, 10.1.255.7, 10.2.0.1",
        "192.168.1.128/25, 25, 192.168.1.200, 192.168.1.127",
        "2001:db8::/32, 32, 2001:db8:ffff::1, 2001:db9::1",
        "' 127.0.0.1 ', 32, 127.0.0.1, 127.0.0.2",
        "::1, 128, ::1, ::2"
    })
    void blockContainsItsAddressesOnly(String block, int prefix, String inside, String outside)
            throws UnknownHostException {
        Cidr c = Cidr.parse(block);
        assertEquals(prefix, c.prefix());
        assertTrue(c.contains(ip(inside)));
        assertFalse(c.contains(ip(outside)));
    }

    @Test
    void zeroPrefixMatchesEverythingOfItsFamily() throws UnknownHostException {
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertTrue(Cidr.parse("::/0").contains(ip("2001:db8::9")));
    }

    @Test
    void familiesDoNotMix() throws UnknownHostException {
        assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("::1")));
        assertFalse(Cidr.parse("::/0").contains(ip("127.0.0.1")));
    }

    @Test
    void rejectsHostNamesAndMalformedBlocks() {
        for (String bad : List.of(
                "localhost",
                "proxy.internal",
                "cafe",
                "dead.beef",
                "face:",
                "1",
                "127.1",
                "10.0.0.256",
                "1.2.3.4.5",
                "10.0.0.0/33",
                "::1/129",
                "10.0.0.0/-1",
                "10.0.0.0/",
                "/8",
                "10.0.0.0/x",
                "")) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
        }
    }

    @Test
    void parsesAList() throws UnknownHostException {
        List<Cidr> list = Cidr.parseList("127.0.0.1/32, ::1/128,,10.0.0.0/8");
        assertEquals(3, list.size());
        assertTrue(list.get(2).contains(ip("10.9.8.7")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parseList("10.0.0.0/8,example.com"));
    }
}
