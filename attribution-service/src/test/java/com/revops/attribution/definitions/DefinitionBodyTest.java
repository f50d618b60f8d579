package com.revops.attribution.definitions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.revops.platform.web.Problem;

class DefinitionBodyTest {

    static DefinitionBody body(String model, String scope, Map<String, Double> custom) {
        return new DefinitionBody(List.of("qualifiedtobuy"), List.of("closedwon"), List.of("closedlost"), 90, model,
                scope, 365, 7, "USD", custom, 0.1, null, null, null);
    }

    static List<String> fields(DefinitionBody b) {
        return b.violations().stream().map(Problem.Violation::field).toList();
    }

    @Test
    void theBuiltInDefaultIsValid() {
        assertEquals(List.of(), DefinitionBody.BUILT_IN.violations());
    }

    @Test
    void theSharedModelMustBeRuleBased() {
        assertEquals(List.of("model"), fields(body("MARKOV", "ACCOUNT", null)));
        assertEquals(List.of("model"), fields(body("SHAPLEY", "ACCOUNT", null)));
        assertEquals(List.of(), fields(body("time-decay", "ACCOUNT", null)));
    }

    @Test
    void scopeAndCustomWeightsAreChecked() {
        assertEquals(List.of("scope"), fields(body("LINEAR", "EVERYONE", null)));
        assertTrue(fields(body("CUSTOM", "PRIMARY_CONTACT", Map.of("NOT_A_MILESTONE", 1.0)))
                .contains("customWeights"));
        assertTrue(fields(body("CUSTOM", "PRIMARY_CONTACT", Map.of("QUALIFICATION", -1.0)))
                .contains("customWeights"));
        var ok = body("CUSTOM", "PRIMARY_CONTACT", Map.of("QUALIFICATION", 0.6, "CLOSED_WON", 0.3));
        assertEquals(List.of(), ok.violations());
        assertEquals(0.6, ok.settings(com.revops.attribution.models.RateTable.none("USD")).custom()
                .weight(com.revops.attribution.models.Milestone.QUALIFICATION));
    }
}
