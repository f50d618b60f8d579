package com.revops.feedback.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The documented example of lead.requalified (which lead-routing's contract tests may read) has exactly the fields
 * this service publishes, and the AsyncAPI document names every event type this service publishes.
 */
class EventContractTest {

    @Test
    void requalifiedExampleMatchesThePublishedRecord() throws Exception {
        JsonNode example = new ObjectMapper().readTree(
                Files.readString(Path.of("src/main/resources/asyncapi/examples/lead.requalified.json")));
        assertEquals("lead.requalified", example.path("type").asText());
        Set<String> documented = new TreeSet<>();
        example.path("data").fieldNames().forEachRemaining(documented::add);
        Set<String> published = new TreeSet<>(Arrays.stream(FeedbackEvents.LeadRequalified.class.getRecordComponents())
                .map(c -> c.getName()).toList());
        assertEquals(published, documented);
    }

    @Test
    void asyncApiNamesEveryPublishedType() throws Exception {
        String doc = Files.readString(Path.of("src/main/resources/asyncapi/asyncapi.yaml"));
        for (String type : new String[] {FeedbackEvents.RECORDED, FeedbackEvents.REASON_PROVIDED,
            FeedbackEvents.REASON_OVERDUE, FeedbackEvents.SCORING_FEEDBACK, FeedbackEvents.LEAD_RECYCLED,
            FeedbackEvents.LEAD_REQUALIFIED, FeedbackEvents.DISPUTE_OPENED, FeedbackEvents.DISPUTE_RESOLVED,
            "task.create", "lead.status.set", "record.fields.set"}) {
            assertEquals(true, doc.contains("name: " + type + ",") || doc.contains("name: " + type + "\n"),
                    type + " is documented");
        }
    }
}
