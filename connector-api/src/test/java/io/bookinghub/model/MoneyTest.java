package io.bookinghub.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {
    @Test
    void amountsKeepTheCurrencysMinorUnitScaleAndEqualAmountsAreEqual() {
        assertThat(Money.of("120", "PLN").amount()).isEqualTo(new BigDecimal("120.00"));
        assertThat(Money.of("120.000", "PLN").amount()).isEqualTo(new BigDecimal("120.00"));
        assertThat(Money.of("120.00", "PLN")).isEqualTo(Money.of("120", "PLN"));
        assertThat(Money.of("12.345", "EUR").amount()).as("finer than cents stays").isEqualTo(new BigDecimal("12.345"));
        assertThat(Money.of("500.00", "JPY").amount()).isEqualTo(new BigDecimal("500"));
        assertThat(Money.of("1E+3", "PLN").amount()).isEqualTo(new BigDecimal("1000.00"));
    }

    @Test
    void negativeAmountsAndUnknownCurrenciesAreRefused() {
        assertThatThrownBy(() -> Money.of("-1", "PLN")).hasMessageContaining("negative");
        assertThatThrownBy(() -> Money.of("1", "XYZ1")).hasMessageContaining("unknown currency");
    }
}
