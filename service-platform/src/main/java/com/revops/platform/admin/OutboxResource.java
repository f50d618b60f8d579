package com.revops.platform.admin;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.revops.platform.security.Roles;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** How far behind the outbox relay is, and which events it cannot get out. */
@Path("/admin/outbox")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations", description = "Outbox and dead-letter tools")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
public class OutboxResource {

    private final Pool pool;

    public OutboxResource(Pool pool) {
        this.pool = pool;
    }

    /** Outbox health in numbers. */
    public record OutboxStats(long pending, long failing, Double oldestPendingSeconds, long publishedLastHour) {
    }

    /** An event still waiting to be published. */
    public record PendingEvent(String id, String exchange, String type, String subject, OffsetDateTime createdAt,
            int attempts, OffsetDateTime nextAttemptAt, String lastError) {
    }

    @GET
    @Operation(summary = "Outbox backlog and publish rate")
    @APIResponse(responseCode = "200", description = "Counts")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not a revops-admin")
    public Uni<OutboxStats> stats() {
        return pool.query("""
                SELECT count(*) FILTER (WHERE published_at IS NULL) AS pending,
                       count(*) FILTER (WHERE published_at IS NULL AND attempts > 0) AS failing,
                       extract(epoch FROM now() - min(created_at) FILTER (WHERE published_at IS NULL))::float8 AS age,
                       count(*) FILTER (WHERE published_at > now() - interval '1 hour') AS recent
                  FROM outbox_event""").execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new OutboxStats(r.getLong("pending"), r.getLong("failing"), r.getDouble("age"),
                            r.getLong("recent"));
                });
    }

    @GET
    @Path("/pending")
    @Operation(summary = "Events not yet published, oldest first, with their last error")
    @APIResponse(responseCode = "200", description = "Pending events")
    public Uni<List<PendingEvent>> pending(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return pool.preparedQuery("""
                SELECT id, exchange, event_type, subject, created_at, attempts, next_attempt_at, last_error
                  FROM outbox_event WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1""")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<PendingEvent> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new PendingEvent(r.getUUID("id").toString(), r.getString("exchange"),
                                r.getString("event_type"), r.getString("subject"), r.getOffsetDateTime("created_at"),
                                r.getInteger("attempts"), r.getOffsetDateTime("next_attempt_at"),
                                r.getString("last_error")));
                    }
                    return out;
                });
    }
}
