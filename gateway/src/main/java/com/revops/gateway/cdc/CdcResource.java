package com.revops.gateway.cdc;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.revops.platform.security.Roles;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/** Where the Change Data Capture subscriptions are: stored replay position, holder, and this replica's view. */
@Path("/admin/cdc")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "CDC", description = "Salesforce Change Data Capture over the Pub/Sub API")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
public class CdcResource {

    /** One channel: what the database holds (all replicas) and, when this replica runs it, its live state. */
    public record SubscriptionView(String topic, String replayId, OffsetDateTime replayedAt, long events,
            String leaseOwner, OffsetDateTime leaseUntil, String lastError, OffsetDateTime updatedAt,
            CdcSubscriber.Snapshot local) {
    }

    /** The CDC settings in force and the subscriptions. */
    public record CdcStatus(boolean enabled, List<SubscriptionView> subscriptions) {
    }

    private final Pool pool;
    private final CdcService service;

    public CdcResource(Pool pool, CdcService service) {
        this.pool = pool;
        this.service = service;
    }

    @GET
    @Operation(summary = "CDC subscriptions: replay position, which replica holds each, events, last error")
    @APIResponse(responseCode = "200", description = "The subscriptions (empty when CDC never ran)")
    @APIResponse(responseCode = "401", description = "No token")
    @APIResponse(responseCode = "403", description = "Not revops-admin")
    public Uni<CdcStatus> status() {
        return pool.query("SELECT * FROM cdc_subscription ORDER BY topic").execute().map(rows -> {
            List<SubscriptionView> out = new ArrayList<>();
            for (Row r : rows) {
                String topic = r.getString("topic");
                Object replay = r.getValue("replay_id");
                byte[] id = replay instanceof io.vertx.core.buffer.Buffer b ? b.getBytes() : null;
                CdcSubscriber.Snapshot local = service.snapshots().stream().filter(s -> s.topic().equals(topic))
                        .findFirst().orElse(null);
                out.add(new SubscriptionView(topic, id == null ? null : HexFormat.of().formatHex(id),
                        r.getOffsetDateTime("replayed_at"), r.getLong("events"), r.getString("lease_owner"),
                        r.getOffsetDateTime("lease_until"), r.getString("last_error"),
                        r.getOffsetDateTime("updated_at"), local));
            }
            return new CdcStatus(service.enabled(), out);
        });
    }
}
