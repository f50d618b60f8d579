package com.revops.sandbox.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Delivers CRM changes to the gateway the way the CRMs do: asynchronously, in batches of up to 100 (HubSpot: a
 * signed JSON array of events; Salesforce: one outbound message per object type), retried with exponential back-off
 * when the delivery fails (connection error, answer slower than the time-out, 4xx/5xx, or for Salesforce an answer
 * without {@code <Ack>true</Ack>}), up to a number of attempts; HubSpot's retries carry the next
 * {@code attemptNumber}. Every attempt's outcome is recorded. Optionally re-delivers a share of successful batches,
 * as both CRMs may. Driven by {@link #tick()}; the transport is pluggable so tests need no network. Plain Java.
 */
public final class Deliveries {

    /** Sends one HTTP POST; completes with the answer, or exceptionally on a connection error or time-out. */
    public interface Transport {
        CompletableFuture<Answer> post(String url, Map<String, String> headers, String body, long timeoutMillis);
    }

    /** An HTTP answer. */
    public record Answer(int status, String body) {
    }

    /** How deliveries are made. */
    public record Settings(String hubspotUrl, String salesforceUrl, int maxBatch, int maxAttempts, long backoffMillis,
            long maxBackoffMillis, long timeoutMillis, int concurrency, int duplicatePercent, long seed) {
    }

    /** The outcome of one delivery attempt. */
    public record Outcome(long batchId, String crm, String url, int events, int attempt, Instant at,
            Integer status, String error, long durationMillis, String state) {
    }

    private static final class Batch {
        final long id;
        final String crm;
        final String sobject;
        final List<Object> items;
        int attempt;
        long dueAt;

        Batch(long id, String crm, String sobject, List<Object> items) {
            this.id = id;
            this.crm = crm;
            this.sobject = sobject;
            this.items = items;
        }
    }

    private final Settings settings;
    private final WebhookSigner signer;
    private final String orgId;
    private final String instanceUrl;
    private final String apiVersion;
    private final Transport transport;
    private final LongSupplier clock;
    private final ObjectMapper mapper;
    private final Stats stats;
    private final Random random;
    private final Deque<Map<String, Object>> hubspot = new ArrayDeque<>();
    private final Map<String, Deque<OutboundMessages.Notification>> salesforce = new LinkedHashMap<>();
    private final PriorityQueue<Batch> retries = new PriorityQueue<>((a, b) -> Long.compare(a.dueAt, b.dueAt));
    private final Deque<Outcome> outcomes = new ArrayDeque<>();
    private long batchIds;
    private int inFlight;
    private int inFlightEvents;

    public Deliveries(Settings settings, WebhookSigner signer, String orgId, String instanceUrl, String apiVersion,
            Transport transport, LongSupplier clock, ObjectMapper mapper, Stats stats) {
        this.settings = settings;
        this.signer = signer;
        this.orgId = orgId;
        this.instanceUrl = instanceUrl;
        this.apiVersion = apiVersion;
        this.transport = transport;
        this.clock = clock;
        this.mapper = mapper;
        this.stats = stats;
        this.random = new Random(settings.seed());
    }

    /** Queues one HubSpot webhook event (without attemptNumber: it is set per attempt). */
    public synchronized void hubspot(Map<String, Object> event) {
        hubspot.addLast(event);
        stats.increment("deliveries.hubspot.events");
    }

    /** Queues one outbound-message notification. */
    public synchronized void salesforce(OutboundMessages.Notification notification) {
        salesforce.computeIfAbsent(notification.sobject(), k -> new ArrayDeque<>()).addLast(notification);
        stats.increment("deliveries.salesforce.notifications");
    }

    /** Starts the deliveries that are due, up to the concurrency. Called periodically. */
    public void tick() {
        List<Batch> toSend = new ArrayList<>();
        synchronized (this) {
            long now = clock.getAsLong();
            while (inFlight + toSend.size() < settings.concurrency()) {
                Batch b = nextBatch(now);
                if (b == null) {
                    break;
                }
                toSend.add(b);
            }
            inFlight += toSend.size();
            toSend.forEach(b -> inFlightEvents += b.items.size());
        }
        toSend.forEach(this::send);
    }

    private Batch nextBatch(long now) {
        if (!retries.isEmpty() && retries.peek().dueAt <= now) {
            return retries.poll();
        }
        if (!hubspot.isEmpty()) {
            List<Object> items = new ArrayList<>();
            while (!hubspot.isEmpty() && items.size() < settings.maxBatch()) {
                items.add(hubspot.pollFirst());
            }
            return new Batch(++batchIds, "hubspot", null, items);
        }
        for (Map.Entry<String, Deque<OutboundMessages.Notification>> e : salesforce.entrySet()) {
            if (!e.getValue().isEmpty()) {
                List<Object> items = new ArrayList<>();
                while (!e.getValue().isEmpty() && items.size() < settings.maxBatch()) {
                    items.add(e.getValue().pollFirst());
                }
                return new Batch(++batchIds, "salesforce", e.getKey(), items);
            }
        }
        return null;
    }

    private void send(Batch b) {
        long started = clock.getAsLong();
        String url;
        Map<String, String> headers = new LinkedHashMap<>();
        String body;
        if ("hubspot".equals(b.crm)) {
            url = settings.hubspotUrl();
            List<Map<String, Object>> events = new ArrayList<>();
            for (Object o : b.items) {
                @SuppressWarnings("unchecked")
                Map<String, Object> e = new LinkedHashMap<>((Map<String, Object>) o);
                e.put("attemptNumber", b.attempt);
                events.add(e);
            }
            body = json(events);
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", "HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio)");
            headers.put(WebhookSigner.TIMESTAMP_HEADER, Long.toString(started));
            headers.put(WebhookSigner.SIGNATURE_HEADER, signer.sign("POST", url, body, started));
        } else {
            url = settings.salesforceUrl();
            List<OutboundMessages.Notification> notes = new ArrayList<>();
            b.items.forEach(o -> notes.add((OutboundMessages.Notification) o));
            String actionId = SalesforceIds.to18("04k" + "SB" + "0" + String.format("%09d",
                    Math.abs(b.sobject.hashCode()) % 1_000_000_000));
            body = OutboundMessages.envelope(orgId, actionId, instanceUrl, apiVersion, notes);
            headers.put("Content-Type", "text/xml; charset=utf-8");
            headers.put("SOAPAction", "\"\"");
            headers.put("User-Agent", "Salesforce - OutboundMessage");
        }
        CompletableFuture<Answer> answer;
        try {
            answer = transport.post(url, headers, body, settings.timeoutMillis());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((a, failure) -> finished(b, url, started, a, failure));
    }

    private void finished(Batch b, String url, long started, Answer a, Throwable failure) {
        long now = clock.getAsLong();
        boolean ok = failure == null && a.status() >= 200 && a.status() < 300
                && ("hubspot".equals(b.crm) || a.body() != null && a.body().replaceAll("\\s", "")
                        .matches("(?s).*<([A-Za-z0-9_]+:)?Ack>true</([A-Za-z0-9_]+:)?Ack>.*"));
        String error = failure != null ? String.valueOf(rootCause(failure))
                : ok ? null : "HTTP " + a.status() + (a.body() == null ? "" : ": " + abbreviate(a.body()));
        synchronized (this) {
            inFlight--;
            inFlightEvents -= b.items.size();
            String state;
            if (ok) {
                state = "DELIVERED";
                stats.increment("deliveries." + b.crm + ".delivered");
                stats.add("deliveries." + b.crm + ".deliveredEvents", b.items.size());
                if (settings.duplicatePercent() > 0 && random.nextInt(100) < settings.duplicatePercent()) {
                    Batch again = new Batch(++batchIds, b.crm, b.sobject, b.items);
                    again.attempt = b.attempt;
                    again.dueAt = now + settings.backoffMillis();
                    retries.add(again);
                    stats.increment("deliveries." + b.crm + ".duplicated");
                }
            } else if (b.attempt + 1 < settings.maxAttempts()) {
                state = "RETRYING";
                stats.increment("deliveries." + b.crm + ".failedAttempts");
                long backoff = Math.min(settings.maxBackoffMillis(), settings.backoffMillis() << Math.min(b.attempt,
                        20));
                b.attempt++;
                b.dueAt = now + backoff;
                retries.add(b);
            } else {
                state = "FAILED";
                stats.increment("deliveries." + b.crm + ".failedAttempts");
                stats.increment("deliveries." + b.crm + ".abandoned");
                stats.add("deliveries." + b.crm + ".abandonedEvents", b.items.size());
            }
            outcomes.addLast(new Outcome(b.id, b.crm, url, b.items.size(), b.attempt + (ok || "FAILED".equals(state)
                    ? 0 : -1), Instant.ofEpochMilli(now), failure == null ? a.status() : null, error, now - started,
                    state));
            while (outcomes.size() > 1000) {
                outcomes.removeFirst();
            }
        }
    }

    /** Events or notifications not yet delivered: queued, waiting for a retry, or in flight. */
    public synchronized int pending() {
        int n = hubspot.size() + inFlightEvents;
        for (Deque<OutboundMessages.Notification> q : salesforce.values()) {
            n += q.size();
        }
        for (Batch b : retries) {
            n += b.items.size();
        }
        return n;
    }

    /** The latest outcomes, newest last, optionally only of one state. */
    public synchronized List<Outcome> outcomes(String state, int limit) {
        List<Outcome> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (state == null || state.equalsIgnoreCase(o.state())) {
                out.add(o);
            }
        }
        return out.size() > limit ? out.subList(out.size() - limit, out.size()) : out;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
