package com.revops.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
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

    @Test
    void fieldsAreReadAtTheTopLevelOnlyAndPayloadsAreLeftInTheBody() throws Exception {
        String body = """
                [{"nested":{"eventId":99,"subscriptionType":"deal.creation"},"eventId":"7","subscriptionId":2,
                  "portalId":3,"occurredAt":1795428300000,"subscriptionType":"contact.creation","objectId":null,
                  "attemptNumber":"2","list":[{"eventId":5}]},
                 {"eventId":8,"subscriptionId":2,"portalId":3,"occurredAt":1795428300001,
                  "subscriptionType":"contact.deletion","objectId":12,"objectId":13}]""";
        List<IncomingEvent> events = parser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(2, events.size());
        assertEquals("3:2:7:1795428300000", events.get(0).dedupeKey());
        assertEquals("contact.creation", events.get(0).subscriptionType());
        assertNull(events.get(0).objectId());
        assertEquals(2, events.get(0).attemptNumber());
        assertNull(events.get(0).payloadJson(), "the store takes the payload from the body");
        assertEquals("13", events.get(1).objectId(), "the last of duplicate keys wins, as in jsonb");
        assertNull(events.get(1).attemptNumber());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "[1, 2                         | 400",
        "[] []                         | 400",
        "{}                            | 400",
        "''                            | 400",
        "[{\"eventId\":[1]}]          | 400",
        "[]                            | 200",
    })
    void malformedBodiesAreRefused(String body, int status) {
        try {
            assertEquals(0, parser.parse(body.getBytes(StandardCharsets.UTF_8)).size());
            assertEquals(200, status);
        } catch (HubSpotWebhookParser.Rejected e) {
            assertEquals(status, e.status());
        }
    }

    @Test
    void tooManyEventsWinsOverABadEvent() {
        StringBuilder body = new StringBuilder("[7");
        for (int i = 0; i < 100; i++) {
            body.append(",{}");
        }
        HubSpotWebhookParser.Rejected e = assertThrows(HubSpotWebhookParser.Rejected.class,
                () -> parser.parse(body.append(']').toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(413, e.status());
    }
}
