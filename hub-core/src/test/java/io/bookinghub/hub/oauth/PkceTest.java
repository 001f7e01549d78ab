package io.bookinghub.hub.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PkceTest {
    /** RFC 7636 Appendix B: the verifier's 32 octets. */
    private static final int[] RFC_OCTETS = {116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187,
        186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121};

    /** A "random" source that returns fixed bytes, to drive the generator with the RFC's example. */
    static final class FixedRandom extends SecureRandom {
        private final byte[] bytes;

        FixedRandom(int[] octets) {
            bytes = new byte[octets.length];
            for (int i = 0; i < octets.length; i++) {
                bytes[i] = (byte) octets[i];
            }
        }

        @Override
        public void nextBytes(byte[] out) {
            assertThat(out).hasSize(bytes.length);
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }

    @Test
    void generatesTheRfc7636AppendixBExampleFromItsOctets() {
        Pkce.Pair pair = new Pkce(new FixedRandom(RFC_OCTETS)).generate();
        assertThat(pair.verifier()).isEqualTo("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assertThat(pair.challenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void verifiersAreWellFormedAndFresh() {
        Pkce pkce = new Pkce(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Pkce.Pair pair = pkce.generate();
            assertThat(pair.verifier()).hasSize(43).matches(Pkce.VERIFIER_SYNTAX);
            assertThat(pair.challenge()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
            assertThat(pair.challenge()).isEqualTo(Pkce.challenge(pair.verifier()));
            assertThat(seen.add(pair.verifier())).isTrue();
        }
    }

    @Test
    void toStringHidesTheVerifier() {
        Pkce.Pair pair = new Pkce(new FixedRandom(RFC_OCTETS)).generate();
        assertThat(pair.toString()).doesNotContain(pair.verifier()).contains(pair.challenge());
    }

    @Test
    void malformedVerifierIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> Pkce.challenge("short-secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> Pkce.challenge("a".repeat(42) + "!"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Pkce.challenge("a".repeat(128))).hasSize(43);
    }
}
