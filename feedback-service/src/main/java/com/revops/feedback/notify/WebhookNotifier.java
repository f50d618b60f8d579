package com.revops.feedback.notify;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.config.FeedbackConfig;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * The default notifier: POSTs the payload (Slack-compatible {@code text} + {@code blocks}) as JSON to an incoming
 * webhook. Any 2xx is accepted; a 429 hands its {@code Retry-After} back to the dispatcher's back-off.
 */
@ApplicationScoped
public class WebhookNotifier implements Notifier {

    private final HttpClient http;
    private final FeedbackConfig config;

    public WebhookNotifier(Vertx vertx, FeedbackConfig config) {
        this.http = vertx.createHttpClient();
        this.config = config;
    }

    @Override
    public String channel() {
        return "webhook";
    }

    @Override
    public Uni<Void> deliver(String url, String payload) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .setTimeout(config.notifications().timeout().toMillis());
        return http.request(options).chain(req -> req.send(Buffer.buffer(payload)))
                .chain(resp -> resp.body().map(body -> {
                    int status = resp.statusCode();
                    if (status >= 200 && status < 300) {
                        return null;
                    }
                    String text = body == null ? "" : body.toString();
                    throw new DeliveryException("HTTP " + status + (text.isBlank() ? ""
                            : ": " + text.substring(0, Math.min(200, text.length()))),
                            status == 429 ? retryAfter(resp.getHeader("Retry-After")) : null);
                }))
                .onFailure(e -> !(e instanceof DeliveryException))
                .transform(e -> new DeliveryException(e.getClass().getSimpleName() + ": " + e.getMessage(), null))
                .replaceWithVoid();
    }

    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: the regular back-off applies
        }
    }
}
