package com.revops.platform.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * A plain AMQP client for tests: plays the other services (publishes what they would publish, listens where they
 * would listen) against the machine's real RabbitMQ.
 */
public final class RabbitTestClient implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;

    public RabbitTestClient() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(env("RABBITMQ_HOST", "localhost"));
        f.setPort(Integer.parseInt(env("RABBITMQ_PORT", "5672")));
        f.setUsername(env("RABBITMQ_USERNAME", "guest"));
        f.setPassword(env("RABBITMQ_PASSWORD", "guest"));
        // the tests' own virtual host, as in every service's %test profile
        f.setVirtualHost(env("RABBITMQ_TEST_VHOST", "revops-test"));
        try {
            connection = f.newConnection("tests");
            channel = connection.createChannel();
            channel.confirmSelect();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ is not reachable (.ci/run starts it)", e);
        }
    }

    /** A server-named, exclusive queue bound to {@code exchange} with {@code routingKey}; gone when closed. */
    public String bindTemporaryQueue(String exchange, String routingKey) throws IOException {
        channel.exchangeDeclare(exchange, "topic", true);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, exchange, routingKey);
        return queue;
    }

    /** Publishes with a confirm, as a peer service's relay would. */
    public void publish(String exchange, String routingKey, String messageId, String body)
            throws IOException, InterruptedException, TimeoutException {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .messageId(messageId).contentType("application/cloudevents+json").deliveryMode(2).build();
        channel.basicPublish(exchange, routingKey, props, body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5000);
    }

    /** Waits until {@code count} messages arrived in {@code queue} or the timeout passed; returns what arrived. */
    public List<Received> await(String queue, int count, Duration timeout) throws IOException, InterruptedException {
        List<Received> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            GetResponse r = channel.basicGet(queue, true);
            if (r == null) {
                Thread.sleep(50);
                continue;
            }
            Map<String, Object> headers = r.getProps().getHeaders();
            out.add(new Received(r.getProps().getMessageId(), r.getEnvelope().getRoutingKey(),
                    new String(r.getBody(), StandardCharsets.UTF_8), headers == null ? Map.of() : headers));
        }
        return out;
    }

    public long messageCount(String queue) throws IOException {
        return channel.messageCount(queue);
    }

    /** Empties a queue; a queue that does not exist (yet) is already empty. */
    public void purge(String queue) throws IOException {
        Channel own = connection.createChannel();
        try {
            own.queuePurge(queue);
        } catch (IOException e) {
            // not declared yet: nothing to purge (the failed call closed the channel)
        } finally {
            if (own.isOpen()) {
                try {
                    own.close();
                } catch (TimeoutException ignored) {
                    // closing a test channel
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** A message taken from a queue. */
    public record Received(String messageId, String routingKey, String body, Map<String, Object> headers) {
    }
}
