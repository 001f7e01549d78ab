package io.bookinghub.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link IsoInstants} against the JDK it replaces, value by value. */
class IsoInstantsTest {
    private static final long SEED = 20261203L;

    @Test
    void formatsExactlyAsInstantToStringAcrossTheWholeRange() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.MIN, Instant.MAX,
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("2024-02-29T12:00:00.000001Z"),
                Instant.parse("2026-12-03T06:37:38.120Z"), Instant.parse("0005-03-01T00:00:00.000000100Z")));
        for (int i = 0; i < 200_000; i++) {
            long seconds = i % 2 == 0 ? random.nextLong(-62_167_219_200L * 2, 253_402_300_799L * 2)
                    : random.nextLong(0, 4_102_444_800L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nano));
        }
        for (Instant instant : instants) {
            assertThat(IsoInstants.format(instant)).as("%s", instant).isEqualTo(instant.toString());
        }
    }

    @Test
    void parsesWhatTheJdkParsesToTheSameInstant() {
        SplittableRandom random = new SplittableRandom(SEED);
        String[] fractions = {"", ".5", ".25", ".250", ".123456", ".1234567", ".123456789"};
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String local = instant.atOffset(offset).toLocalDateTime().withNano(0).toString();
            String seconds = local.length() == 16 ? local + ":00" : local;
            String text = (i % 5 == 0 ? local.substring(0, 16) : seconds + fractions[i % fractions.length])
                    + (i % 3 == 0 ? "Z" : offset.getId().equals("Z") ? "+00:00" : offset.getId());
            assertThat(IsoInstants.parseOffsetDateTime(text)).as(text)
                    .isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-05T09:30:00+01:00", "2026-03-05T09:30Z", "2026-03-05T09:30:00.250Z",
            "2024-02-29T23:59:59.999999999-12:00", "0000-01-01T00:00:00Z", "2026-03-05T09:30:00-00:00",
            "2026-03-05T09:30:00+18:00", "2026-03-05T09:30:00-18:00", "2026-03-05t09:30:00z",
            "2026-03-05T09:30:00+01:00:30", "+12026-03-05T09:30:00Z", "-0001-03-05T09:30:00Z",
            "2026-03-05T09:30:00+01", "2026-03-05T09:30:00.1Z", "2026-03-05T09:30:00.Z"})
    void acceptsEverythingTheJdkAccepts(String text) {
        assertThat(IsoInstants.parseOffsetDateTime(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T09:30:00Z", "2026-04-31T09:30:00Z", "2026-13-05T09:30:00Z",
            "2026-00-05T09:30:00Z", "2026-03-00T09:30:00Z", "2026-03-05T24:00:00Z", "2026-03-05T09:60:00Z",
            "2026-03-05T09:30:60Z", "2026-03-05T09:30:00.1234567890Z",
            "2026-03-05T09:30:00+18:01", "2026-03-05T09:30:00+19:00", "2026-03-05T09:30:00+01:60",
            "2026-03-05T09:30:00", "2026-03-05T09:30:00ZZ", "2026-03-05 09:30:00Z", "2026-3-05T09:30:00Z",
            "2026-03-05T09:30:0Z", "2026-03-05T09:30:00+0100", "2026-03-05T09:3x:00Z", "2026-03-05T09:30",
            "", "garbage", "２026-03-05T09:30:00Z"})
    void rejectsWhatTheJdkRejects(String text) {
        assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> IsoInstants.parseOffsetDateTime(text)).isInstanceOf(DateTimeException.class);
    }
}
