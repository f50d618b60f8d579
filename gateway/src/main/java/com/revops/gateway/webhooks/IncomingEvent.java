package com.revops.gateway.webhooks;

import java.time.Instant;

/**
 * One event of a webhook delivery, ready to be stored: where it came from, its deduplication key and its raw JSON.
 *
 * @param payloadJson the event as JSON; null when the delivery body is the JSON array of the events and this is its
 *        element at the event's position (the store takes it from there)
 * @param known false for subscription types we do not handle; stored as IGNORED
 */
public record IncomingEvent(String crm, String dedupeKey, String accountId, String subscriptionType,
        String objectType, String objectId, Instant occurredAt, Integer attemptNumber, String payloadJson,
        boolean known) {
}
