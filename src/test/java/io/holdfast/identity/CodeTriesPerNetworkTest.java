package io.holdfast.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Guest;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue #15, finding 7: a stranger cannot lock a guest out of sign-in. Wrong tries are counted per code and client
 * network (5 each; an IPv6 client's whole /64 is one network) and per code from all networks (10): a stranger
 * guessing elsewhere, even from many addresses of one /64, uses up only their own tries while the guest types the
 * right code; and brute force from many networks still ends after 10 tries of the million codes.
 */
abstract class CodeTriesPerNetworkTest extends ServerTest {

    @Test
    void aStrangersGuessesElsewhereLeaveTheGuestsCodeUsable() throws Exception {
        String email = freshEmail();
        String guest = Fixtures.clientAddress();
        String stranger = Fixtures.clientAddress();
        Guest.Mailed mailed = requestCode(email, guest);
        String wrong = otherCode(mailed.code());

        // The attack, while the guest is typing: five wrong codes and then the right one, all from elsewhere.
        CompletableFuture<List<Integer>> strangersGuesses = CompletableFuture.supplyAsync(() -> List.of(1, 2, 3, 4, 5)
                .stream().map(n -> Guest.verifyCode(api, email, wrong, stranger).status()).toList());
        Api.Response typo = Guest.verifyCode(api, email, wrong, guest);
        assertThat(typo.status()).isEqualTo(401);
        assertThat(strangersGuesses.get(60, TimeUnit.SECONDS)).containsOnly(401);
        Api.Response strangersRight = Guest.verifyCode(api, email, mailed.code(), stranger);
        assertThat(strangersRight.status()).as("the stranger's tries are used up").isEqualTo(401);
        assertThat(strangersRight.code()).isEqualTo("otp_invalid");

        Api.Response guestsRight = Guest.verifyCode(api, email, mailed.code(), guest);
        assertThat(guestsRight.status()).as(guestsRight.toString()).isEqualTo(200);
        assertThat(guestsRight.json().get("sessionToken").asString()).isNotBlank();
    }

    /**
     * The send budget of an address is counted per network too: a stranger who sends the guest's address its three
     * codes spends only the stranger's own share, and the guest elsewhere still gets a code and signs in with it.
     * All networks together send at most ten codes to one address per window.
     */
    @Test
    void aStrangerCannotSpendTheGuestsCodeBudget() {
        clock.pin(java.time.Instant.now());
        String email = freshEmail();
        String stranger = Fixtures.clientAddress();
        for (int i = 1; i <= 3; i++) {
            assertThat(Guest.requestCode(api, email, stranger).status()).as("the stranger's send " + i).isEqualTo(202);
        }
        Api.Response fourth = Guest.requestCode(api, email, stranger);
        assertThat(fourth.status()).as(fourth.toString()).isEqualTo(429);
        assertThat(fourth.code()).isEqualTo("rate_limited");
        assertThat(fourth.headers().firstValue("Retry-After")).isPresent();

        String guest = Fixtures.clientAddress();
        Guest.Mailed mailed = requestCode(email, guest);
        Api.Response signedIn = Guest.verifyCode(api, email, mailed.code(), guest);
        assertThat(signedIn.status()).as("the guest signs in: " + signedIn).isEqualTo(200);

        // 4 sent so far; six more networks bring the address to its total of ten, the eleventh network is refused
        for (int i = 5; i <= 10; i++) {
            assertThat(Guest.requestCode(api, email, Fixtures.clientAddress()).status()).as("send " + i).isEqualTo(202);
        }
        Api.Response eleventh = Guest.requestCode(api, email, Fixtures.clientAddress());
        assertThat(eleventh.status()).as(eleventh.toString()).isEqualTo(429);
        assertThat(eleventh.code()).isEqualTo("rate_limited");
        assertThat(eleventh.json().get("detail").asString()).doesNotContain("your network");
    }

    @Test
    void everyAddressOfOneIpv6Slash64SharesItsFiveTries() {
        String email = freshEmail();
        String guest = Fixtures.clientAddress();
        Guest.Mailed mailed = requestCode(email, guest);
        String wrong = otherCode(mailed.code());
        String prefix = "2001:db8:" + Integer.toHexString((int) (Math.random() * 0xffff)) + ":7:";

        for (int i = 1; i <= 5; i++) {
            assertThat(Guest.verifyCode(api, email, wrong, prefix + Integer.toHexString(i) + "::1").status())
                    .isEqualTo(401);
        }
        assertThat(Guest.verifyCode(api, email, mailed.code(), prefix + "abcd:1234:5678:9").status())
                .as("a sixth address of the same /64 gets no try").isEqualTo(401);
        assertThat(Guest.verifyCode(api, email, mailed.code(), guest).status()).isEqualTo(200);
    }

    @Test
    void tenWrongTriesFromAllNetworksKillTheCodeForEveryone() {
        String email = freshEmail();
        String guest = Fixtures.clientAddress();
        Guest.Mailed mailed = requestCode(email, guest);
        String wrong = otherCode(mailed.code());

        for (int network = 0; network < 2; network++) {
            String stranger = Fixtures.clientAddress();
            for (int i = 1; i <= 5; i++) {
                assertThat(Guest.verifyCode(api, email, wrong, stranger).status()).isEqualTo(401);
            }
        }
        Api.Response right = Guest.verifyCode(api, email, mailed.code(), guest);
        assertThat(right.status()).as("10 of 1,000,000 codes tried: the code is dead").isEqualTo(401);
        assertThat(right.code()).isEqualTo("otp_invalid");

        // A new code works again (the cost for the guest of a distributed attack: one more mail).
        Guest.Mailed again = requestCode(email, guest);
        assertThat(Guest.verifyCode(api, email, again.code(), guest).status()).isEqualTo(200);
    }

    private Guest.Mailed requestCode(String email, String client) {
        long before = Guest.newestMail(api, email);
        Api.Response requested = Guest.requestCode(api, email, client);
        assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
        return Guest.awaitCode(api, email, before);
    }

    private static String otherCode(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    private static String freshEmail() {
        return "guest-" + UUID.randomUUID() + "@example.com";
    }
}

@ActiveProfiles("h2")
class CodeTriesPerNetworkOnH2Test extends CodeTriesPerNetworkTest {
}

@ActiveProfiles("postgresql")
class CodeTriesPerNetworkOnPostgresTest extends CodeTriesPerNetworkTest {
}

@ActiveProfiles("mariadb")
class CodeTriesPerNetworkOnMariaDbTest extends CodeTriesPerNetworkTest {
}

@ActiveProfiles("h2")
@PrivateRedis
class CodeTriesPerNetworkOnRedisTest extends CodeTriesPerNetworkTest {
}
