package com.revops.attribution.models;

import java.time.Instant;
import java.util.Objects;

/**
 * A deal as the models see it, already resolved from its history (see {@link DealHistory}) as of a point in time.
 *
 * @param id                   deal id
 * @param amountMinor          amount in minor units of {@code currency}, >= 0
 * @param currency             ISO 4217
 * @param leadCreatedAt        earliest creation of a lead in scope of the deal (null when unknown)
 * @param opportunityCreatedAt when the deal was created
 * @param qualifiedAt          when the deal first passed the qualification bar (null when it has not)
 * @param closedAt             when the deal entered its current closed stage (null while open, also after a reopen)
 * @param won                  true when the current closed stage is a won stage
 * @param asOf                 the data-as-of time of the computation (touches after it are not known yet)
 */
public record DealInput(String id, long amountMinor, String currency, Instant leadCreatedAt,
        Instant opportunityCreatedAt, Instant qualifiedAt, Instant closedAt, boolean won, Instant asOf) {

    public DealInput {
        Objects.requireNonNull(id, "deal id");
        Objects.requireNonNull(currency, "currency");
        if (amountMinor < 0) {
            throw new IllegalArgumentException("deal amount must not be negative");
        }
        if (!Money.isKnownCurrency(currency)) {
            throw new IllegalArgumentException("unknown currency " + currency);
        }
    }

    public boolean closed() {
        return closedAt != null;
    }
}
