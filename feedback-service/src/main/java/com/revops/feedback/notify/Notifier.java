package com.revops.feedback.notify;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

/**
 * Delivers a notification's payload to a destination URL. The {@link NotificationDispatcher} uses the notifier whose
 * {@link #channel()} is {@code feedback.notify.channel}; another channel (e-mail relay, Teams) is another bean.
 */
public interface Notifier {

    /** The channel name this notifier serves (e.g. {@code webhook}). */
    String channel();

    /** Completes when the destination accepted the payload; fails with a {@link DeliveryException} otherwise. */
    Uni<Void> deliver(String url, String payload);

    /** A refused or failed delivery; {@code retryAfter} when the destination said when to come back (429). */
    class DeliveryException extends RuntimeException {
        private final transient Duration retryAfter;

        public DeliveryException(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
