package com.revops.platform;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the technical platform shared by every service; each is overridable by environment variable. */
@ConfigMapping(prefix = "revops")
public interface PlatformConfig {

    /** The CloudEvents {@code source} of events this service publishes, e.g. {@code /lead-routing-service}. */
    String source();

    Outbox outbox();

    Inbox inbox();

    Broker broker();

    interface Outbox {
        /** Rows claimed and published per relay round. */
        @WithDefault("200")
        int batchSize();

        /** First back-off after a failed publish; doubles per attempt up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("60s")
        Duration maxBackoff();

        /** How long published rows are kept for inspection before the cleanup deletes them. */
        @WithDefault("P7D")
        Duration retention();

        /** Wake the relay with PostgreSQL LISTEN/NOTIFY at commit instead of waiting for the next poll. */
        @WithDefault("true")
        boolean listenNotify();

        /** How long the relay waits for the broker to confirm a batch. */
        @WithDefault("10s")
        Duration confirmTimeout();
    }

    interface Inbox {
        /** Attempts for a message whose processing fails before it is dead-lettered. */
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        /**
         * How long processed-message ids are kept. Must exceed the longest time a broker can redeliver a message
         * (including a DLQ replay), or a very late redelivery would take effect twice.
         */
        @WithDefault("P30D")
        Duration retention();
    }

    interface Broker {
        @WithDefault("localhost")
        String host();

        @WithDefault("5672")
        int port();

        @WithDefault("guest")
        String username();

        @WithDefault("guest")
        String password();

        @WithDefault("/")
        String virtualHost();

        /** The dead-letter queues of this service's consumers, offered for inspection and replay. */
        Optional<List<String>> deadLetterQueues();
    }
}
