package com.revops.platform.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.revops.platform.PlatformConfig;
import com.revops.platform.broker.BrokerConnection;
import com.revops.platform.broker.BrokerConnection.OutgoingMessage;
import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.rabbitmq.RabbitMQMessage;

/** Inspect and replay the messages this service's consumers gave up on. */
@Path("/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations", description = "Outbox and dead-letter tools")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
public class DeadLetterResource {

    private final BrokerConnection broker;
    private final PlatformConfig config;

    public DeadLetterResource(BrokerConnection broker, PlatformConfig config) {
        this.broker = broker;
        this.config = config;
    }

    /** A dead-letter queue and how many messages wait in it. */
    public record QueueDepth(String queue, long messages) {
    }

    /** A dead-lettered message as seen in the queue. */
    public record DeadLetter(String messageId, String type, String originalQueue, String originalRoutingKey,
            String reason, long deaths, String firstDeathAt, String body) {
    }

    /** The outcome of a replay. */
    public record ReplayResult(String queue, int replayed) {
    }

    @GET
    @Operation(summary = "Dead-letter queues of this service with their depth")
    @APIResponse(responseCode = "200", description = "One entry per dead-letter queue")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not a revops-admin")
    public Uni<List<QueueDepth>> queues() {
        return Multi.createFrom().iterable(queueNames())
                .onItem().transformToUniAndConcatenate(q -> broker.messageCount(q)
                        .map(n -> new QueueDepth(q, n))
                        .onFailure().recoverWithItem(new QueueDepth(q, 0)))
                .collect().asList();
    }

    @GET
    @Path("/{queue}")
    @Operation(summary = "Peek at dead-lettered messages (they stay in the queue)")
    @APIResponse(responseCode = "200", description = "The oldest messages of the queue")
    @APIResponse(responseCode = "404", description = "Not a dead-letter queue of this service")
    public Uni<List<DeadLetter>> peek(@PathParam("queue") String queue,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(200) int limit) {
        requireKnown(queue);
        List<RabbitMQMessage> taken = new ArrayList<>();
        return take(queue, limit, taken)
                .chain(() -> Multi.createFrom().iterable(taken)
                        .onItem().transformToUniAndConcatenate(m -> broker.requeue(m.envelope().getDeliveryTag()))
                        .collect().last())
                .map(ignored -> taken.stream().map(DeadLetterResource::describe).toList());
    }

    @POST
    @Path("/{queue}/replay")
    @Operation(summary = "Send dead-lettered messages back to the queue they failed in",
            description = "The message id is kept, so a message that had taken effect after all is not applied twice.")
    @APIResponse(responseCode = "200", description = "How many messages were replayed")
    @APIResponse(responseCode = "404", description = "Not a dead-letter queue of this service")
    public Uni<ReplayResult> replay(@PathParam("queue") String queue,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(10000) int limit) {
        requireKnown(queue);
        // Only the messages waiting now: a replayed message that fails again comes back to this queue, and must
        // not be picked up by the same replay a second time.
        return broker.messageCount(queue)
                .chain(depth -> replayNext(queue, (int) Math.min(limit, depth), 0))
                .map(n -> new ReplayResult(queue, n));
    }

    private Uni<Integer> replayNext(String queue, int remaining, int done) {
        if (remaining == 0) {
            return Uni.createFrom().item(done);
        }
        return broker.get(queue).chain(m -> {
            if (m == null || m.body() == null) {
                return Uni.createFrom().item(done);
            }
            DeadLetter d = describe(m);
            String target = d.originalQueue() != null ? d.originalQueue() : queue.replaceFirst("\\.dlq$", "");
            Map<String, Object> headers = new HashMap<>();
            headers.put("x-replayed-from", queue);
            OutgoingMessage out = new OutgoingMessage("", target, d.messageId(), d.type(),
                    m.body().toString(StandardCharsets.UTF_8), headers);
            return broker.publishConfirmed(List.of(out), Duration.ofSeconds(10))
                    .chain(() -> broker.ack(m.envelope().getDeliveryTag()))
                    .chain(() -> replayNext(queue, remaining - 1, done + 1));
        });
    }

    private Uni<Void> take(String queue, int remaining, List<RabbitMQMessage> taken) {
        if (remaining == 0) {
            return Uni.createFrom().voidItem();
        }
        return broker.get(queue).chain(m -> {
            if (m == null || m.body() == null) {
                return Uni.createFrom().voidItem();
            }
            taken.add(m);
            return take(queue, remaining - 1, taken);
        });
    }

    @SuppressWarnings("unchecked")
    static DeadLetter describe(RabbitMQMessage m) {
        var props = m.properties();
        String originalQueue = null;
        String routingKey = null;
        String reason = null;
        long deaths = 0;
        String firstDeath = null;
        Object xDeath = props.getHeaders() == null ? null : props.getHeaders().get("x-death");
        if (xDeath instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
            Map<String, Object> death = (Map<String, Object>) first;
            originalQueue = str(death.get("queue"));
            reason = str(death.get("reason"));
            Object count = death.get("count");
            deaths = count instanceof Number n ? n.longValue() : 0;
            Object time = death.get("time");
            firstDeath = time instanceof java.util.Date date ? date.toInstant().toString() : str(time);
            if (death.get("routing-keys") instanceof List<?> keys && !keys.isEmpty()) {
                routingKey = str(keys.get(0));
            }
        }
        String body = m.body() == null ? "" : m.body().toString(StandardCharsets.UTF_8);
        if (body.length() > 4096) {
            body = body.substring(0, 4096) + "...";
        }
        return new DeadLetter(props.getMessageId(), props.getType(), originalQueue, routingKey, reason, deaths,
                firstDeath, body);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private List<String> queueNames() {
        return config.broker().deadLetterQueues().orElse(List.of());
    }

    private void requireKnown(String queue) {
        if (!queueNames().contains(queue)) {
            throw new ProblemException.NotFound("no dead-letter queue named " + queue + " in this service");
        }
    }
}
