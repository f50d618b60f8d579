package com.revops.gateway.webhooks;

import java.time.Instant;

/**
 * One event of a webhook delivery, ready to be stored: where it came from, its deduplication key and its raw JSON.
 *
 * @param known false for subscription types we do not handle; stored as IGNORED
 */
public record IncomingEvent(String crm, String dedupeKey, String accountId, String subscriptionType,
        String objectType, String objectId, Instant occurredAt, Integer attemptNumber, String payloadJson,
        boolean known) {
}
