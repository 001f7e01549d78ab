package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Currency;

/** A non-negative amount in an ISO 4217 currency. */
public record Money(BigDecimal amount, String currency) {
    public Money {
        requireNonNull(amount, "amount is null");
        requireNonNull(currency, "currency is null");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("amount is negative");
        }
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown currency '" + currency + "'");
        }
        amount = amount.stripTrailingZeros().scale() < 0 ? amount.setScale(0) : amount.stripTrailingZeros();
    }

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }
}
