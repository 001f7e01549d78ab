package io.bookinghub.connectors.csvimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.model.AppointmentStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValuesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "80|80", "80,00|80.00", "80.00|80.00", "120,5|120.5", "1 234,50|1234.50", "1.234,50|1234.50",
            "1,234.50|1234.50", "1'234.50|1234.50", "80,00 zł|80.00", "PLN 99.99|99.99", "€12,30|12.30",
            "1.234.567|1234567", "0|0", "1\u00A0200,00 zł|1200.00"})
    void pricesWithEitherDecimalSeparator(String text, String expected) {
        assertThat(Values.price(text)).isEqualByComparingTo(new BigDecimal(expected));
    }

    @Test
    void badPricesAreRefusedWithAReason() {
        assertThatThrownBy(() -> Values.price("abc")).hasMessageContaining("not a price: 'abc'");
        assertThatThrownBy(() -> Values.price("-5,00")).hasMessageContaining("negative");
        assertThatThrownBy(() -> Values.price("1,2,3.4.5")).hasMessageContaining("not a price");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"45|45", "1:30|90", "1h 30min|90", "90 min|90", "2h|120", "2 godz.|120"})
    void durations(String text, long minutes) {
        assertThat(Values.duration(text)).isEqualTo(Duration.ofMinutes(minutes));
    }

    @Test
    void badDurationsAreRefused() {
        assertThatThrownBy(() -> Values.duration("soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Values.duration("0")).hasMessageContaining("longer than zero");
    }

    @Test
    void statuses() {
        assertThat(Values.status("Cancelled by client")).contains(AppointmentStatus.CANCELLED_BY_CLIENT);
        assertThat(Values.status(" NO-SHOW ")).contains(AppointmentStatus.NO_SHOW);
        assertThat(Values.status("")).contains(AppointmentStatus.BOOKED);
        assertThat(Values.status("teleported")).isEmpty();
    }

    @Test
    void rowKeysAreStableAndIgnoreCaseAndSpacing() {
        String key = Values.rowKey("clients", List.of("Anna  Nowak", "+48 600", ""));
        assertThat(key).matches("csv-[0-9a-f]{32}")
                .isEqualTo(Values.rowKey("clients", List.of(" anna nowak ", "+48 600", "")))
                .isEqualTo(Values.rowKey("clients", Arrays.asList("Anna Nowak", "+48 600", null)))
                .isNotEqualTo(Values.rowKey("clients", List.of("Anna Nowak", "+48 601", "")))
                .isNotEqualTo(Values.rowKey("services", List.of("Anna Nowak", "+48 600", "")));
        // Values are separated, so shifting text between columns changes the key.
        assertThat(Values.rowKey("t", List.of("ab", "c"))).isNotEqualTo(Values.rowKey("t", List.of("a", "bc")));
    }
}
