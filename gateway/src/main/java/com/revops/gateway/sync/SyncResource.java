package com.revops.gateway.sync;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
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
import org.jboss.resteasy.reactive.RestResponse;

import com.revops.gateway.config.GatewayConfig;
import com.revops.platform.security.Roles;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/** Start backfill or incremental sync runs and follow their progress. */
@Path("/admin/sync")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sync", description = "Backfill and incremental sync from the CRMs")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
public class SyncResource {

    private final Pool pool;
    private final GatewayConfig config;

    public SyncResource(Pool pool, GatewayConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** A sync run and its progress. */
    public record SyncJobView(UUID id, String crm, String object, String mode, String status, long done,
            Long estimatedTotal, Double percent, double ratePerSecond, Long secondsLeft, OffsetDateTime cursorSince,
            String cursorId, OffsetDateTime until, OffsetDateTime startedAt, OffsetDateTime finishedAt,
            OffsetDateTime resumeAt, String lastError) {
    }

    @POST
    @Path("/{crm}/{object}")
    @Operation(summary = "Start a sync run: full (everything) or incremental (since the last finished run)",
            description = "Objects: hubspot/{contacts, companies, deals, calls, emails, meetings, tasks}, "
                    + "salesforce/{leads, contacts, accounts, opportunities, tasks, events, campaign-members}. The "
                    + "run's upper bound is frozen at its start; progress at GET /admin/sync/jobs/{id}.")
    @APIResponse(responseCode = "202", description = "Started")
    @APIResponse(responseCode = "400", description = "Unknown mode")
    @APIResponse(responseCode = "404", description = "Unknown CRM")
    @APIResponse(responseCode = "409", description = "A run of this CRM and object is already active, or the CRM "
            + "is not connected")
    @APIResponse(responseCode = "422", description = "This object cannot be synced")
    public Uni<RestResponse<SyncJobView>> start(@PathParam("crm") String crm, @PathParam("object") String object,
            @QueryParam("mode") @DefaultValue("incremental") @Pattern(regexp = "full|incremental") String mode) {
        if (!"hubspot".equals(crm) && !"salesforce".equals(crm)) {
            throw new ProblemException.NotFound("no CRM named " + crm);
        }
        java.util.Set<String> supported = "hubspot".equals(crm) ? HubSpotSync.OBJECTS.keySet()
                : SalesforceSync.SOBJECTS.keySet();
        if (!supported.contains(object)) {
            throw new ProblemException.Unprocessable("sync of " + crm + "/" + object + " is not supported; "
                    + "supported: " + String.join(", ", supported),
                    List.of(new Problem.Violation("object", "not supported")));
        }
        if ("hubspot".equals(crm) && !config.hubspot().connected()) {
            throw new ProblemException.Conflict("HubSpot is not connected: set HUBSPOT_ACCESS_TOKEN or OAuth settings");
        }
        if ("salesforce".equals(crm) && !config.salesforce().connected()) {
            throw new ProblemException.Conflict("Salesforce is not connected: set SALESFORCE_CLIENT_ID and a secret "
                    + "or a JWT key");
        }
        UUID id = UUID.randomUUID();
        OffsetDateTime until = Instant.now().atOffset(ZoneOffset.UTC);
        return pool.preparedQuery("""
                SELECT max(until) FROM sync_job WHERE crm = $1 AND object_type = $2 AND status = 'DONE'""")
                .execute(Tuple.of(crm, object))
                .map(rows -> {
                    OffsetDateTime last = rows.iterator().next().getOffsetDateTime(0);
                    return "full".equals(mode) || last == null ? Instant.EPOCH.atOffset(ZoneOffset.UTC) : last;
                })
                .chain(since -> pool.preparedQuery("""
                        INSERT INTO sync_job (id, crm, object_type, mode, status, cursor_since, until)
                        VALUES ($1, $2, $3, $4, 'RUNNING', $5, $6)""")
                        .execute(Tuple.of(id, crm, object, mode, since, until)))
                .onFailure(e -> e instanceof PgException p && "23505".equals(p.getSqlState()))
                .transform(e -> new ProblemException.Conflict("a sync of " + crm + "/" + object
                        + " is already running"))
                .chain(() -> get(id))
                .map(view -> RestResponse.ResponseBuilder.<SyncJobView>create(202).entity(view)
                        .location(URI.create("/admin/sync/jobs/" + id)).build());
    }

    @GET
    @Path("/jobs/{id}")
    @Operation(summary = "A sync run: records done, estimated total, rate, time left, cursor")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run")
    public Uni<SyncJobView> get(@PathParam("id") UUID id) {
        return pool.preparedQuery("SELECT * FROM sync_job WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                throw new ProblemException.NotFound("sync run " + id + " does not exist");
            }
            return view(rows.iterator().next());
        });
    }

    @GET
    @Operation(summary = "Recent sync runs, newest first")
    @APIResponse(responseCode = "200", description = "Up to 100 runs")
    public Uni<List<SyncJobView>> list() {
        return pool.query("SELECT * FROM sync_job ORDER BY started_at DESC LIMIT 100").execute().map(rows -> {
            List<SyncJobView> out = new ArrayList<>();
            rows.forEach(r -> out.add(view(r)));
            return out;
        });
    }

    private static SyncJobView view(Row r) {
        OffsetDateTime started = r.getOffsetDateTime("started_at");
        OffsetDateTime finished = r.getOffsetDateTime("finished_at");
        SyncProgress p = new SyncProgress(r.getLong("done"), r.getLong("estimated_total"), started.toInstant(),
                finished != null ? finished.toInstant() : Instant.now());
        return new SyncJobView(r.getUUID("id"), r.getString("crm"), r.getString("object_type"), r.getString("mode"),
                r.getString("status"), p.done(), p.estimatedTotal(), p.percent(),
                Math.round(p.ratePerSecond() * 10) / 10.0, "DONE".equals(r.getString("status")) ? Long.valueOf(0) : p.secondsLeft(),
                r.getOffsetDateTime("cursor_since"), r.getString("cursor_id"), r.getOffsetDateTime("until"), started,
                finished, r.getOffsetDateTime("resume_at"), r.getString("last_error"));
    }
}
