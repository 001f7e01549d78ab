package io.bookinghub.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class DateTimePatternsTest {
    @Test
    void readsTheYearAsPeopleWriteIt() {
        assertThat(LocalDate.parse("07.12.2026", DateTimePatterns.strict("dd.MM.yyyy")))
                .isEqualTo(LocalDate.of(2026, 12, 7));
    }

    @Test
    void refusesADateThatDoesNotExistInsteadOfMovingIt() {
        assertThatThrownBy(() -> LocalDate.parse("31.02.2026", DateTimePatterns.strict("dd.MM.yyyy")))
                .isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void keepsQuotedLettersAsText() {
        assertThat(LocalDate.parse("2026y12m07", DateTimePatterns.strict("yyyy'y'MM'm'dd")))
                .isEqualTo(LocalDate.of(2026, 12, 7));
    }

    @Test
    void readsTextCaseInsensitively() {
        assertThat(LocalDateTime.parse("07 dec 2026 5:45 pm", DateTimePatterns.strict("dd MMM yyyy h:mm a")))
                .isEqualTo(LocalDateTime.of(2026, 12, 7, 17, 45));
    }

    @Test
    void anInvalidPatternIsRefused() {
        assertThatThrownBy(() -> DateTimePatterns.strict("dd.MM.yyyy {")).isInstanceOf(IllegalArgumentException.class);
    }
}
