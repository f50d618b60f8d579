package com.revops.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Generic ({@code object.*}) subscriptions: engagements are normalised, other object types are kept as ignored. */
class HubSpotWebhookParserTest {

    final HubSpotWebhookParser parser = new HubSpotWebhookParser(new ObjectMapper(), 100);

    @ParameterizedTest(name = "{0} of {1} -> object type {2}, handled {3}")
    @CsvSource({
        "object.creation, 0-48, call, true",
        "object.propertyChange, 0-49, email, true",
        "object.creation, 0-47, meeting, true",
        "object.deletion, 0-27, task, true",
        "object.restore, 0-27, task, true",
        // associations of engagements are not read from webhooks; tickets, notes are not normalised
        "object.associationChange, 0-48, call, false",
        "object.creation, 0-5, 0-5, false",
        "object.creation, 0-46, 0-46, false",
    })
    void genericSubscriptionsAreNamedByTheirObjectTypeId(String type, String typeId, String objectType,
            boolean known) throws Exception {
        String body = """
                [{"eventId":1,"subscriptionId":2,"portalId":3,"appId":4,"occurredAt":1795428300000,
                  "subscriptionType":"%s","objectTypeId":"%s","objectId":42,"changeSource":"CRM_UI"}]"""
                .formatted(type, typeId);
        List<IncomingEvent> events = parser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(objectType, events.get(0).objectType());
        assertEquals(known, events.get(0).known());
        assertEquals(type, events.get(0).subscriptionType());
        assertEquals("42", events.get(0).objectId());
    }
}
