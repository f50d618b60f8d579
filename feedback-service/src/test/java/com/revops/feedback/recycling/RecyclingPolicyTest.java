package com.revops.feedback.recycling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecyclingPolicyTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case,                    disqualifiedAt,         recyclable, days, prior, cap, recycle, at,                     number, capped
        "first recycling,           2026-05-01T00:00:00Z,   true,       90,   0,     2,   true,    2026-07-30T00:00:00Z,   1,      false",
        "second recycling,          2026-05-01T00:00:00Z,   true,       90,   1,     2,   true,    2026-07-30T00:00:00Z,   2,      false",
        "cap reached,               2026-05-01T00:00:00Z,   true,       90,   2,     2,   false,   ,                       0,      true",
        "cap zero disables,         2026-05-01T00:00:00Z,   true,       90,   0,     0,   false,   ,                       0,      true",
        "not recyclable,            2026-05-01T00:00:00Z,   false,      90,   0,     2,   false,   ,                       0,      false",
        "date already past: now,    2026-01-01T00:00:00Z,   true,       60,   0,     2,   true,    2026-06-01T00:00:00Z,   1,      false",
    })
    void decides(String name, Instant disqualifiedAt, boolean recyclable, Integer days, long prior, int cap,
            boolean recycle, Instant at, int number, boolean capped) {
        RecyclingPolicy.Decision d = RecyclingPolicy.decide(disqualifiedAt, recyclable, days, prior, cap, NOW);
        assertEquals(recycle, d.recycle());
        assertEquals(at, d.at());
        assertEquals(number, d.number());
        assertEquals(capped, d.capped());
    }
}
