package com.revops.gateway.webhooks;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The columns of {@code webhook_event} rows as arrays, one element per event, for the {@code unnest(...)} inserts of
 * {@link WebhookStore} (a delivery stored with its events) and {@link DeliverySplitter} (deliveries split later):
 * one place decides how an incoming event becomes a row.
 */
final class EventColumns {

    final UUID[] ids;
    final UUID[] deliveries;
    final String[] keys;
    final String[] accounts;
    final String[] types;
    final String[] objectTypes;
    final String[] objectIds;
    final OffsetDateTime[] occurred;
    final Integer[] attempts;
    /** PENDING for the normaliser, IGNORED for subscription types we do not handle (kept for audit). */
    final String[] statuses;
    private int size;

    EventColumns(int capacity) {
        ids = new UUID[capacity];
        deliveries = new UUID[capacity];
        keys = new String[capacity];
        accounts = new String[capacity];
        types = new String[capacity];
        objectTypes = new String[capacity];
        objectIds = new String[capacity];
        occurred = new OffsetDateTime[capacity];
        attempts = new Integer[capacity];
        statuses = new String[capacity];
    }

    /** Adds the row of one event of {@code deliveryId}; answers its index, for columns the caller keeps itself. */
    int add(UUID deliveryId, IncomingEvent e) {
        int i = size++;
        ids[i] = WebhookStore.timeOrderedId();
        deliveries[i] = deliveryId;
        keys[i] = e.dedupeKey();
        accounts[i] = e.accountId();
        types[i] = e.subscriptionType();
        objectTypes[i] = e.objectType();
        objectIds[i] = e.objectId();
        occurred[i] = e.occurredAt() == null ? null : e.occurredAt().atOffset(ZoneOffset.UTC);
        attempts[i] = e.attemptNumber();
        statuses[i] = e.known() ? "PENDING" : "IGNORED";
        return i;
    }
}
