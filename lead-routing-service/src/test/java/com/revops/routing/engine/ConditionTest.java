package com.revops.routing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ConditionTest {

    static final Map<String, Object> LEAD = Map.of("country", "DE", "companySize", "250", "score", 71.5,
            "industry", "Software", "custom.plan", "enterprise-trial");

    record Case(Condition condition, boolean expected) {
    }

    static List<Case> cases() {
        return List.of(
                new Case(new Condition.Eq("country", "de"), true),
                new Case(new Condition.Eq("country", "FR"), false),
                new Case(new Condition.Eq("missing", "x"), false),
                new Case(new Condition.In("country", List.of("AT", "DE", "CH")), true),
                new Case(new Condition.In("country", List.of("US")), false),
                new Case(new Condition.Range("companySize", new BigDecimal("200"), new BigDecimal("1000")), true),
                new Case(new Condition.Range("companySize", new BigDecimal("250"), null), true), // min inclusive
                new Case(new Condition.Range("companySize", null, new BigDecimal("250")), false), // max exclusive
                new Case(new Condition.Range("score", new BigDecimal("70"), null), true),
                new Case(new Condition.Range("industry", new BigDecimal("1"), null), false), // not a number
                new Case(Condition.Regex.of("custom.plan", "enterprise-.*"), true),
                new Case(Condition.Regex.of("custom.plan", "trial"), false), // full match only
                new Case(new Condition.Exists("industry"), true),
                new Case(new Condition.Exists("region"), false),
                new Case(new Condition.And(List.of(new Condition.Eq("country", "DE"),
                        new Condition.Exists("industry"))), true),
                new Case(new Condition.And(List.of(new Condition.Eq("country", "DE"),
                        new Condition.Exists("region"))), false),
                new Case(new Condition.Or(List.of(new Condition.Eq("country", "US"),
                        new Condition.Eq("industry", "software"))), true),
                new Case(new Condition.Not(new Condition.Eq("country", "DE")), false),
                new Case(new Condition.Not(new Condition.Exists("region")), true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void evaluatesAgainstTheLeadAttributes(Case c) {
        assertThat(c.condition().test(LEAD)).as(c.condition().describe()).isEqualTo(c.expected());
    }

    @Test
    void anEmptyOrInvertedRangeIsRejected() {
        assertThatThrownBy(() -> new Condition.Range("score", null, null)).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> new Condition.Range("score", BigDecimal.TEN, BigDecimal.ONE)).isInstanceOf(
                IllegalArgumentException.class);
    }
}
