package com.revops.platform.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.rabbitmq.client.AMQP;
import com.revops.platform.PlatformConfig;
import com.revops.platform.events.Exchanges;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.rabbitmq.RabbitMQClient;
import io.vertx.mutiny.rabbitmq.RabbitMQMessage;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * The publishing side of the backbone: one AMQP connection with publisher confirms, used by the outbox relay and
 * the dead-letter tools. Consumers use SmallRye Reactive Messaging channels instead.
 *
 * <p>Why not a SmallRye outgoing channel: a channel is bound to one exchange, while the relay publishes rows for
 * several exchanges and must learn, per batch, whether the broker confirmed it before it marks rows as sent. The
 * connection is (re)opened lazily, so a broker outage only delays publishing and never breaks the service.
 */
@ApplicationScoped
public class BrokerConnection {

    /** Every exchange of the backbone, declared (idempotently) before the first publish. */
    static final List<String> TOPIC_EXCHANGES = List.of(Exchanges.CRM_EVENTS, Exchanges.CRM_COMMANDS,
            Exchanges.ROUTING_EVENTS, Exchanges.FEEDBACK_EVENTS, Exchanges.ATTRIBUTION_EVENTS);

    private final Vertx vertx;
    private final PlatformConfig config;
    private RabbitMQClient client;

    public BrokerConnection(Vertx vertx, PlatformConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    public boolean isConnected() {
        RabbitMQClient c = client;
        return c != null && c.isConnected() && c.isOpenChannel();
    }

    /** Opens the connection (confirm mode, exchanges declared) unless it is already open. */
    public synchronized Uni<RabbitMQClient> connected() {
        if (isConnected()) {
            return Uni.createFrom().item(client);
        }
        RabbitMQClient previous = client;
        RabbitMQOptions options = new RabbitMQOptions()
                .setHost(config.broker().host())
                .setPort(config.broker().port())
                .setUser(config.broker().username())
                .setPassword(config.broker().password())
                .setVirtualHost(config.broker().virtualHost())
                .setConnectionName("outbox-relay")
                .setConnectionTimeout(3000)
                .setReconnectAttempts(0)
                .setAutomaticRecoveryEnabled(false);
        RabbitMQClient fresh = RabbitMQClient.create(vertx, options);
        client = fresh;
        Uni<Void> closePrevious = previous == null ? Uni.createFrom().voidItem()
                : previous.stop().onFailure().recoverWithNull();
        return closePrevious
                .chain(fresh::start)
                .chain(fresh::confirmSelect)
                .chain(() -> declareExchanges(fresh))
                .invoke(() -> Log.infof("broker connection open on %s:%d", config.broker().host(),
                        config.broker().port()))
                .replaceWith(fresh)
                .onFailure().invoke(e -> {
                    Log.warnf("broker unavailable: %s", e.getMessage());
                    fresh.stop().subscribe().with(x -> { }, x -> { });
                });
    }

    private Uni<Void> declareExchanges(RabbitMQClient c) {
        return Multi.createFrom().iterable(TOPIC_EXCHANGES)
                .onItem().transformToUniAndConcatenate(name -> c.exchangeDeclare(name, "topic", true, false))
                .collect().last()
                .chain(() -> c.exchangeDeclare(Exchanges.DEAD_LETTERS, "direct", true, false));
    }

    /** Publishes persistent messages and completes only when the broker has confirmed all of them. */
    public Uni<Void> publishConfirmed(List<OutgoingMessage> messages, Duration confirmTimeout) {
        return connected().chain(c -> Multi.createFrom().iterable(messages)
                .onItem().transformToUniAndConcatenate(m -> c.basicPublish(m.exchange(), m.routingKey(),
                        properties(m), Buffer.buffer(m.body())))
                .collect().last()
                .chain(() -> c.waitForConfirms(confirmTimeout.toMillis())));
    }

    private static AMQP.BasicProperties properties(OutgoingMessage m) {
        return new AMQP.BasicProperties.Builder()
                .messageId(m.messageId())
                .type(m.type())
                .contentType("application/cloudevents+json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .timestamp(new java.util.Date())
                .headers(m.headers())
                .build();
    }

    /** Fetches one message without auto-ack (for dead-letter tools); empty when the queue is empty. */
    public Uni<RabbitMQMessage> get(String queue) {
        return connected().chain(c -> c.basicGet(queue, false));
    }

    public Uni<Void> ack(long deliveryTag) {
        return connected().chain(c -> c.basicAck(deliveryTag, false));
    }

    public Uni<Void> requeue(long deliveryTag) {
        return connected().chain(c -> c.basicNack(deliveryTag, false, true));
    }

    /** Message count of a queue; fails when the queue does not exist. */
    public Uni<Long> messageCount(String queue) {
        return connected().chain(c -> c.messageCount(queue));
    }

    @PreDestroy
    void close() {
        RabbitMQClient c = client;
        if (c != null) {
            c.stop().subscribe().with(x -> { }, x -> { });
        }
    }

    /** A message for {@link #publishConfirmed}. */
    public record OutgoingMessage(String exchange, String routingKey, String messageId, String type, String body,
            Map<String, Object> headers) {
    }
}
