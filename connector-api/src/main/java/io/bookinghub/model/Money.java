package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * A non-negative amount in an ISO 4217 currency, in one canonical form: at the currency's minor-unit scale
 * (PLN 120 is 120.00, JPY 500 is 500), or finer when the amount has more digits (12.345). Equal amounts are
 * equal records, and an amount keeps the scale a reader of money expects.
 */
public record Money(BigDecimal amount, String currency) {
    public Money {
        requireNonNull(amount, "amount is null");
        requireNonNull(currency, "currency is null");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("amount is negative");
        }
        int minorDigits;
        try {
            minorDigits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown currency '" + currency + "'");
        }
        amount = amount.setScale(Math.max(minorDigits, Math.max(0, amount.stripTrailingZeros().scale())));
    }

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }
}
