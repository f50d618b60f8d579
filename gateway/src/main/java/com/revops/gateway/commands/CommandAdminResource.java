package com.revops.gateway.commands;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The commands the gateway was given, their outcomes, and the dead-letter store of failed ones. */
@Path("/admin/commands")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Commands", description = "Commands to the CRMs and their dead letters")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
public class CommandAdminResource {

    private final Pool pool;

    private final com.revops.gateway.wakeup.WakeUps wakeUps;

    public CommandAdminResource(Pool pool, com.revops.gateway.wakeup.WakeUps wakeUps) {
        this.pool = pool;
        this.wakeUps = wakeUps;
    }

    /** A command as stored. */
    public record CommandView(UUID id, String type, String issuedBy, String subject, String status, int attempts,
            OffsetDateTime receivedAt, OffsetDateTime completedAt, String outcome, String lastError, String payload) {
    }

    /** A page of commands, newest first; {@code next} is the cursor of the following page. */
    public record CommandPage(List<CommandView> items, String next) {
    }

    @GET
    @Operation(summary = "List commands, newest first (status=FAILED lists the dead letters)")
    @APIResponse(responseCode = "200", description = "A page of commands")
    @APIResponse(responseCode = "400", description = "Invalid filter or cursor")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not a revops-admin")
    public Uni<CommandPage> list(
            @QueryParam("status") @Pattern(regexp = "RECEIVED|SUCCEEDED|FAILED") String status,
            @QueryParam("type") String type,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("before") String before) {
        OffsetDateTime cursor;
        try {
            cursor = before == null ? null : OffsetDateTime.parse(before);
        } catch (Exception e) {
            throw new ProblemException.BadRequest("before must be an ISO date-time (the next cursor of a page)");
        }
        return pool.preparedQuery("""
                SELECT id, command_type, issued_by, subject, status, attempts, received_at, completed_at, outcome,
                       last_error, payload::text AS payload
                  FROM crm_command
                 WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR command_type = $2)
                   AND ($3::timestamptz IS NULL OR received_at < $3)
                 ORDER BY received_at DESC LIMIT $4""")
                .execute(Tuple.of(status, type, cursor, limit))
                .map(rows -> {
                    List<CommandView> items = new ArrayList<>();
                    rows.forEach(r -> items.add(view(r)));
                    String next = items.size() == limit ? items.get(items.size() - 1).receivedAt().toString() : null;
                    return new CommandPage(items, next);
                });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One command with its payload, outcome and last error")
    @APIResponse(responseCode = "200", description = "The command")
    @APIResponse(responseCode = "404", description = "No such command")
    public Uni<CommandView> get(@PathParam("id") UUID id) {
        return pool.preparedQuery("""
                SELECT id, command_type, issued_by, subject, status, attempts, received_at, completed_at, outcome,
                       last_error, payload::text AS payload FROM crm_command WHERE id = $1""")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new ProblemException.NotFound("command " + id + " does not exist");
                    }
                    return view(rows.iterator().next());
                });
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Apply a failed command again (after fixing its cause in the CRM)")
    @APIResponse(responseCode = "200", description = "Queued again")
    @APIResponse(responseCode = "404", description = "No such command")
    @APIResponse(responseCode = "409", description = "Only FAILED commands can be replayed")
    public Uni<CommandView> replay(@PathParam("id") UUID id) {
        return pool.preparedQuery("""
                UPDATE crm_command SET status = 'RECEIVED', attempts = 0, next_attempt_at = now(), lease_until = NULL,
                       completed_at = NULL, outcome = NULL
                 WHERE id = $1 AND status = 'FAILED' RETURNING id""")
                .execute(Tuple.of(id))
                .invoke(rows -> {
                    if (rows.size() == 1) {
                        wakeUps.signal(com.revops.gateway.wakeup.WakeUps.COMMANDS);
                    }
                })
                .chain(rows -> rows.size() == 1 ? get(id) : get(id).map(existing -> {
                    throw new ProblemException.Conflict("command " + id + " is " + existing.status()
                            + "; only FAILED commands can be replayed");
                }));
    }

    private static CommandView view(Row r) {
        return new CommandView(r.getUUID("id"), r.getString("command_type"), r.getString("issued_by"),
                r.getString("subject"), r.getString("status"), r.getInteger("attempts"),
                r.getOffsetDateTime("received_at"), r.getOffsetDateTime("completed_at"), r.getString("outcome"),
                r.getString("last_error"), r.getString("payload"));
    }
}
