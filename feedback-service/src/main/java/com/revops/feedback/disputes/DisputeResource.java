package com.revops.feedback.disputes;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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

import com.revops.feedback.disputes.DisputeService.OpenRequest;
import com.revops.feedback.disputes.DisputeService.ResolveRequest;
import com.revops.feedback.disputes.DisputeService.TeamStats;
import com.revops.feedback.web.Caller;
import com.revops.feedback.web.Cursor;
import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Disputes of disqualifications. */
@Path("/disputes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Disputes", description = "Marketing ops contests a disqualification; the team's sales manager decides")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
@APIResponse(responseCode = "403", description = "Role (or team) not allowed (problem+json)")
public class DisputeResource {

    private final DisputeService service;
    private final SecurityIdentity identity;

    public DisputeResource(DisputeService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    /** A dispute with its audit trail. */
    public record DisputeView(UUID id, UUID disqualificationId, UUID leadId, String teamName, String state,
            String openedBy, Instant openedAt, String comment, String resolvedBy, Instant resolvedAt,
            String resolutionComment, List<AuditView> audit) {
        public static DisputeView of(Dispute d, List<DisputeAudit> trail) {
            return new DisputeView(d.id, d.disqualificationId, d.leadId, d.teamName, d.state, d.openedBy, d.openedAt,
                    d.comment, d.resolvedBy, d.resolvedAt, d.resolutionComment,
                    trail == null ? null : trail.stream().map(a -> new AuditView(a.action, a.actor, a.at, a.comment))
                            .toList());
        }
    }

    public record AuditView(String action, String actor, Instant at, String comment) {
    }

    public record Page(List<DisputeView> items, String nextCursor) {
    }

    @POST
    @Path("/{id}/accept")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Accept a dispute: the lead is re-qualified and goes back to routing (lead.requalified)")
    @APIResponse(responseCode = "200", description = "Accepted")
    @APIResponse(responseCode = "403", description = "A manager of another team")
    @APIResponse(responseCode = "404", description = "No such dispute")
    @APIResponse(responseCode = "409", description = "Already resolved, or the disqualification is no longer active")
    public Uni<DisputeView> accept(@PathParam("id") UUID id, ResolveRequest request) {
        return service.accept(id, request, Caller.of(identity)).map(d -> DisputeView.of(d, null));
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Reject a dispute with a comment; the disqualification stands")
    @APIResponse(responseCode = "200", description = "Rejected")
    @APIResponse(responseCode = "403", description = "A manager of another team")
    @APIResponse(responseCode = "404", description = "No such dispute")
    @APIResponse(responseCode = "409", description = "Already resolved")
    @APIResponse(responseCode = "422", description = "No comment")
    public Uni<DisputeView> reject(@PathParam("id") UUID id, ResolveRequest request) {
        return service.reject(id, request, Caller.of(identity)).map(d -> DisputeView.of(d, null));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "A dispute with its audit trail")
    @APIResponse(responseCode = "200", description = "The dispute")
    @APIResponse(responseCode = "404", description = "No such dispute (or not visible to the caller)")
    public Uni<DisputeView> get(@PathParam("id") UUID id) {
        Caller caller = Caller.of(identity);
        return service.get(id).chain(d -> {
            if (d == null || !(caller.seesAllTeams() || caller.manages(d.teamName))) {
                throw new ProblemException.NotFound("dispute " + id + " does not exist");
            }
            return service.trail(id).map(trail -> DisputeView.of(d, trail));
        });
    }

    @GET
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Disputes, newest first, by state and team, with cursor pagination",
            description = "A sales manager sees the disputes of their own teams.")
    @APIResponse(responseCode = "200", description = "A page")
    @APIResponse(responseCode = "400", description = "Bad cursor or limit")
    public Uni<Page> list(@QueryParam("state") String state, @QueryParam("team") String team,
            @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new ProblemException.BadRequest("limit must be between 1 and 500");
        }
        if (state != null && !Set.of("OPEN", "ACCEPTED", "REJECTED").contains(state)) {
            throw new ProblemException.BadRequest("state must be OPEN, ACCEPTED or REJECTED");
        }
        Caller caller = Caller.of(identity);
        return service.list(state, team, caller.seesAllTeams() ? null : caller.teams(), Cursor.decode(cursor),
                limit + 1).map(rows -> {
                    List<DisputeView> items = rows.stream().limit(limit).map(d -> DisputeView.of(d, null)).toList();
                    String next = rows.size() > limit
                            ? new Cursor(items.get(limit - 1).openedAt(), items.get(limit - 1).id()).encode() : null;
                    return new Page(items, next);
                });
    }

    @GET
    @Path("/stats")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Dispute statistics per team for disputes opened in [from, to) (default: last 90 days)")
    @APIResponse(responseCode = "200", description = "One row per team")
    @APIResponse(responseCode = "400", description = "Bad period")
    public Uni<List<TeamStats>> stats(@QueryParam("from") Instant from, @QueryParam("to") Instant to) {
        Instant end = to != null ? to : Instant.now().plusSeconds(1);
        Instant start = from != null ? from : end.minus(Duration.ofDays(90));
        if (!start.isBefore(end)) {
            throw new ProblemException.BadRequest("from must be before to");
        }
        Caller caller = Caller.of(identity);
        return service.stats(start, end, caller.seesAllTeams() ? null : caller.teams());
    }
}
