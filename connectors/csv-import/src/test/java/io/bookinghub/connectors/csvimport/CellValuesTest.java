package io.bookinghub.connectors.csvimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.model.AppointmentStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CellValuesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "80|80", "80,00|80.00", "80.00|80.00", "120,5|120.5", "1 234,50|1234.50", "1.234,50|1234.50",
            "1,234.50|1234.50", "1'234.50|1234.50", "80,00 zł|80.00", "PLN 99.99|99.99", "€12,30|12.30",
            "1.234.567|1234567", "0|0", "1\u00A0200,00 zł|1200.00"})
    void pricesWithEitherDecimalSeparator(String text, String expected) {
        assertThat(CellValues.price(text)).isEqualByComparingTo(new BigDecimal(expected));
    }

    @Test
    void badPricesAreRefusedWithAReason() {
        assertThatThrownBy(() -> CellValues.price("abc")).hasMessageContaining("not a price: 'abc'");
        assertThatThrownBy(() -> CellValues.price("-5,00")).hasMessageContaining("negative");
        assertThatThrownBy(() -> CellValues.price("1,2,3.4.5")).hasMessageContaining("not a price");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"45|45", "1:30|90", "1h 30min|90", "90 min|90", "2h|120", "2 godz.|120"})
    void durations(String text, long minutes) {
        assertThat(CellValues.duration(text)).isEqualTo(Duration.ofMinutes(minutes));
    }

    @Test
    void badDurationsAreRefused() {
        assertThatThrownBy(() -> CellValues.duration("soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> CellValues.duration("0")).hasMessageContaining("longer than zero");
    }

    @Test
    void statuses() {
        assertThat(CellValues.status("Cancelled by client", Map.of())).contains(AppointmentStatus.CANCELLED_BY_CLIENT);
        assertThat(CellValues.status(" NO-SHOW ", Map.of())).contains(AppointmentStatus.NO_SHOW);
        assertThat(CellValues.status("", Map.of())).contains(AppointmentStatus.BOOKED);
        assertThat(CellValues.status("teleported", Map.of())).isEmpty();
        assertThat(CellValues.status("Nie przyszedł", Map.of())).contains(AppointmentStatus.NO_SHOW);
        assertThat(CellValues.status("ZAREZERWOWANA", Map.of())).contains(AppointmentStatus.BOOKED);
        assertThat(CellValues.status("Odwołana przez klienta", Map.of())).contains(AppointmentStatus.CANCELLED_BY_CLIENT);
        assertThat(CellValues.status("No se presentó", Map.of())).contains(AppointmentStatus.NO_SHOW);
        assertThat(CellValues.status("Concluído", Map.of())).contains(AppointmentStatus.COMPLETED);
        assertThat(CellValues.status("Cancelada pelo cliente", Map.of())).contains(AppointmentStatus.CANCELLED_BY_CLIENT);
        // The connection's mapping comes first, compared like headers.
        assertThat(CellValues.status("Przełożona!", Map.of(Words.key("przelozona"), AppointmentStatus.CONFIRMED)))
                .contains(AppointmentStatus.CONFIRMED);
    }

    @Test
    void rowKeysAreStableAndIgnoreCaseAndSpacing() {
        String key = CellValues.rowKey("clients", List.of("Anna  Nowak", "+48 600", ""));
        assertThat(key).matches("csv-[0-9a-f]{32}")
                .isEqualTo(CellValues.rowKey("clients", List.of(" anna nowak ", "+48 600", "")))
                .isEqualTo(CellValues.rowKey("clients", Arrays.asList("Anna Nowak", "+48 600", null)))
                .isNotEqualTo(CellValues.rowKey("clients", List.of("Anna Nowak", "+48 601", "")))
                .isNotEqualTo(CellValues.rowKey("services", List.of("Anna Nowak", "+48 600", "")));
        // CellValues are separated, so shifting text between columns changes the key.
        assertThat(CellValues.rowKey("t", List.of("ab", "c"))).isNotEqualTo(CellValues.rowKey("t", List.of("a", "bc")));
    }
}
