package com.revops.routing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of routing and the SLA ({@code routing.*}, e.g. env {@code ROUTING_CREATE_TASK=true}). */
@ConfigMapping(prefix = "routing")
public interface RoutingConfig {

    /** Also send a {@code task.create} command to the rep's CRM with each assignment. */
    @WithDefault("false")
    boolean createTask();

    /** Activity types that count as a first touch. */
    @WithDefault("call,email,meeting")
    List<String> firstTouchActivityTypes();

    /** Queue a lead waits in when no rule set is published. */
    @WithDefault("triage")
    String unroutedQueue();

    /** How often the timer poller looks for due deadlines. */
    @WithDefault("1s")
    Duration timerPollInterval();

    /** Due timers fired per transaction round. */
    @WithDefault("200")
    int timerBatch();

    /**
     * A lead created in the CRM longer ago than this when it reaches us (a backfill announcing every existing record)
     * is kept as HISTORIC and not routed: it is not work for today's SDRs, and routing it would rewrite its owner.
     */
    @WithDefault("P3D")
    Duration maxLeadAge();

    /** New leads routed per transaction round (one read of the routing model per round). */
    @WithDefault("50")
    int newLeadBatch();

    /** How often the new-lead router looks for unrouted leads besides being woken by intake. */
    @WithDefault("1s")
    Duration newLeadPollInterval();

    /**
     * A routing round publishes its events and commands itself right after it commits; the outbox relay takes over
     * those still unsent after this grace (the round's publish failed, or the replica stopped in between).
     */
    @WithDefault("2s")
    Duration relayGrace();

    /** Slack-compatible incoming webhook for notifications; without it notifications are only logged. */
    Optional<String> notifyWebhookUrl();

    /** Delivery attempts of a notification before it is marked FAILED. */
    @WithDefault("8")
    int notifyMaxAttempts();
}
