package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which client addresses count as one client: an IPv4 address each, an IPv6 /64 all together. */
class ClientNetworkTest {

    @Test
    void everyAddressOfAnIpv6Slash64IsOneNetworkAndTheNextSlash64IsAnother() {
        assertThat(ClientNetwork.of("2001:db8:1:2::1")).isEqualTo(ClientNetwork.of("2001:db8:1:2:ffff:ffff:ffff:ffff"))
                .isEqualTo(ClientNetwork.of("2001:0DB8:0001:0002:0:0:0:abcd")).isEqualTo("20010db800010002::/64");
        assertThat(ClientNetwork.of("2001:db8:1:3::1")).isNotEqualTo(ClientNetwork.of("2001:db8:1:2::1"));
    }

    @Test
    void ipv4AddressesAreOneClientEachAndMappedOnesCountAsIpv4() {
        assertThat(ClientNetwork.of("198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(ClientNetwork.of("198.51.100.8")).isNotEqualTo(ClientNetwork.of("198.51.100.7"));
        assertThat(ClientNetwork.of("::ffff:198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void textThatIsNoAddressLiteralStandsForItself() {
        assertThat(ClientNetwork.of("localhost")).isEqualTo("localhost");
        assertThat(ClientNetwork.of("unknown")).isEqualTo("unknown");
        assertThat(ClientNetwork.of("999.1.1.1")).isEqualTo("999.1.1.1");
        assertThat(ClientNetwork.of("fe80::1%eth0")).isEqualTo("fe80::1%eth0");
        assertThat(ClientNetwork.of("2001:db8::zz")).isEqualTo("2001:db8::zz");
        assertThat(ClientNetwork.of("")).isEmpty();
    }
}
