package com.revops.feedback.disqualification;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.disqualification.CaptureService.ReasonRequest;
import com.revops.feedback.disqualification.CaptureService.RecordRequest;
import com.revops.feedback.disqualification.DisqualificationQueries.LoopStats;
import com.revops.feedback.disqualification.DisqualificationView.MissingReason;
import com.revops.feedback.disqualification.DisqualificationView.Page;
import com.revops.feedback.disputes.DisputeResource.DisputeView;
import com.revops.feedback.disputes.DisputeService;
import com.revops.feedback.disputes.DisputeService.OpenRequest;
import com.revops.feedback.web.Caller;
import com.revops.feedback.web.Csv;
import com.revops.feedback.web.Cursor;
import com.revops.platform.security.Roles;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Disqualifications: capture for sales tools, the list and export for marketing ops, the missing-reason loop. */
@Path("/disqualifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Disqualifications", description = "Disqualified leads with reasons and context")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
@APIResponse(responseCode = "403", description = "Role (or team) not allowed (problem+json)")
public class DisqualificationResource {

    static final int MAX_PAGE = 500;

    private final CaptureService capture;
    private final DisqualificationQueries queries;
    private final SecurityIdentity identity;
    private final FeedbackConfig config;
    private final DisputeService disputes;

    public DisqualificationResource(CaptureService capture, DisqualificationQueries queries,
            SecurityIdentity identity, FeedbackConfig config, DisputeService disputes) {
        this.disputes = disputes;
        this.capture = capture;
        this.queries = queries;
        this.identity = identity;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SDR, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN, Roles.SERVICE})
    @Operation(summary = "Disqualify a lead with a reason (sales tools)",
            description = "Idempotent per lead: repeating the same reason answers 200 with the record; a lead whose "
                    + "reason is missing gets it. The lead status is set in the CRM through the gateway.")
    @APIResponse(responseCode = "201", description = "Recorded")
    @APIResponse(responseCode = "200", description = "Already recorded (or its missing reason supplied)")
    @APIResponse(responseCode = "403", description = "An SDR on another SDR's lead")
    @APIResponse(responseCode = "404", description = "Lead unknown to feedback")
    @APIResponse(responseCode = "409", description = "Already disqualified with another reason")
    @APIResponse(responseCode = "422", description = "Unknown reason code or missing required note")
    public Uni<RestResponse<DisqualificationView>> record(RecordRequest request) {
        return capture.record(request, Caller.of(identity)).map(c -> c.created()
                ? RestResponse.ResponseBuilder.<DisqualificationView>created(
                        URI.create("/disqualifications/" + c.disqualification().id))
                        .entity(DisqualificationView.of(c.disqualification())).build()
                : RestResponse.ok(DisqualificationView.of(c.disqualification())));
    }

    @POST
    @Path("/{id}/disputes")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.MARKETING_OPS, Roles.REVOPS_ADMIN})
    @Operation(summary = "Dispute a disqualification with a comment")
    @APIResponse(responseCode = "201", description = "Opened")
    @APIResponse(responseCode = "404", description = "No such disqualification")
    @APIResponse(responseCode = "409", description = "Not active, or a dispute is already open")
    @APIResponse(responseCode = "422", description = "No comment")
    public Uni<RestResponse<DisputeView>> open(@PathParam("id") UUID id, OpenRequest request) {
        return disputes.open(id, request, Caller.of(identity)).map(d -> RestResponse.ResponseBuilder
                .<DisputeView>created(URI.create("/disputes/" + d.id)).entity(DisputeView.of(d, null)).build());
    }

    @PUT
    @Path("/{id}/reason")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SDR, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN, Roles.SERVICE})
    @Operation(summary = "Give (or correct) the reason of an active disqualification; closes the missing-reason loop")
    @APIResponse(responseCode = "200", description = "The reason is recorded")
    @APIResponse(responseCode = "404", description = "No such disqualification")
    @APIResponse(responseCode = "409", description = "The disqualification is no longer active")
    @APIResponse(responseCode = "422", description = "Unknown reason code or missing required note")
    public Uni<DisqualificationView> provideReason(@PathParam("id") UUID id, ReasonRequest request) {
        return capture.provideReason(id, request, Caller.of(identity)).map(DisqualificationView::of);
    }

    @GET
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "List disqualifications, newest first, filtered, with cursor pagination",
            description = "A sales manager sees the teams of their token's teams claim only.")
    @APIResponse(responseCode = "200", description = "A page; pass nextCursor as cursor for the next one")
    @APIResponse(responseCode = "400", description = "Bad cursor, limit or period")
    public Uni<Page<DisqualificationView>> list(@BeanParam DisqualificationFilter filter,
            @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ProblemException.BadRequest("limit must be between 1 and " + MAX_PAGE);
        }
        Cursor after = Cursor.decode(cursor);
        return queries.page(filter, teamScope(), after, limit + 1).map(rows -> {
            List<DisqualificationView> items = rows.stream().limit(limit).map(DisqualificationView::of).toList();
            String next = rows.size() > limit
                    ? new Cursor(items.get(limit - 1).disqualifiedAt(), items.get(limit - 1).id()).encode() : null;
            return new Page<>(items, next);
        });
    }

    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Export the filtered disqualifications as CSV (RFC 4180, UTF-8)",
            description = "Same filters as the list. bom=true prefixes a UTF-8 byte order mark for Excel.")
    @APIResponse(responseCode = "200", description = "CSV with a header row")
    @APIResponse(responseCode = "422", description = "More rows than feedback.export-max-rows: narrow the filter")
    public Uni<RestResponse<byte[]>> export(@BeanParam DisqualificationFilter filter,
            @QueryParam("bom") @DefaultValue("false") boolean bom) {
        int max = config.exportMaxRows();
        return queries.all(filter, teamScope(), max + 1).map(rows -> {
            if (rows.size() > max) {
                throw new ProblemException.Unprocessable("the export would exceed " + max + " rows",
                        List.of(new Problem.Violation("from", "narrow the period or add filters")));
            }
            StringBuilder sb = new StringBuilder(bom ? "\uFEFF" : "");
            sb.append(Csv.row(DisqualificationView.CSV_HEADER));
            rows.forEach(d -> sb.append(Csv.row(DisqualificationView.of(d).csvRow())));
            return RestResponse.ResponseBuilder.ok(sb.toString().getBytes(StandardCharsets.UTF_8))
                    .type("text/csv; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"disqualifications.csv\"")
                    .build();
        });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN, Roles.SDR})
    @Operation(summary = "One disqualification with its context")
    @APIResponse(responseCode = "200", description = "The record")
    @APIResponse(responseCode = "404", description = "No such disqualification (or not visible to the caller)")
    public Uni<DisqualificationView> get(@PathParam("id") UUID id) {
        Caller caller = Caller.of(identity);
        return queries.get(id).map(d -> {
            if (d == null || !visible(d, caller)) {
                throw new ProblemException.NotFound("disqualification " + id + " does not exist");
            }
            return DisqualificationView.of(d);
        });
    }

    @GET
    @Path("/missing-reasons")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN, Roles.SDR})
    @Operation(summary = "Active disqualifications still without a reason, most overdue first",
            description = "An SDR sees their own, a sales manager their teams', marketing ops and admins all.")
    @APIResponse(responseCode = "200", description = "A page of missing reasons")
    public Uni<Page<MissingReason>> missing(@QueryParam("team") String team, @QueryParam("owner") String owner,
            @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ProblemException.BadRequest("limit must be between 1 and " + MAX_PAGE);
        }
        Caller caller = Caller.of(identity);
        boolean onlySdr = caller.is(Roles.SDR) && !caller.seesAllTeams() && !caller.is(Roles.SALES_MANAGER);
        String ownerFilter = onlySdr ? caller.username() : owner;
        Instant now = Instant.now();
        return queries.missing(team, ownerFilter, onlySdr ? null : teamScope(), Cursor.decode(cursor), limit + 1)
                .map(rows -> {
                    List<MissingReason> items = rows.stream().limit(limit).map(d -> new MissingReason(d.id, d.leadId,
                            d.crm, d.crmId, d.company, d.ownerUsername, d.ownerCrmId, d.teamName, d.disqualifiedAt,
                            Duration.between(d.disqualifiedAt, now).toDays(), d.remindersSent, d.managerNotifiedAt,
                            d.reasonRaw, d.noContactAttempt)).toList();
                    String next = rows.size() > limit
                            ? new Cursor(items.get(limit - 1).disqualifiedAt(), items.get(limit - 1).id()).encode()
                            : null;
                    return new Page<>(items, next);
                });
    }

    @GET
    @Path("/loop-stats")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Missing-reason loop metrics: completion rate and time to reason for a period")
    @APIResponse(responseCode = "200", description = "The metrics")
    @APIResponse(responseCode = "400", description = "Bad period")
    @APIResponse(responseCode = "403", description = "A manager asking for a team that is not theirs")
    public Uni<LoopStats> loopStats(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("team") String team) {
        Instant end = to != null ? to : Instant.now();
        Instant start = from != null ? from : end.minus(Duration.ofDays(30));
        if (!start.isBefore(end)) {
            throw new ProblemException.BadRequest("from must be before to");
        }
        Caller caller = Caller.of(identity);
        if (!caller.seesAllTeams() && (team == null || !caller.manages(team))) {
            throw new ProblemException(403, "forbidden", "a sales manager reads the loop metrics of their own team "
                    + "(team=" + String.join("|", caller.teams()) + ")", null);
        }
        return queries.loopStats(start, end, team);
    }

    /** Null for callers who see every team; the manager's teams otherwise. */
    private Set<String> teamScope() {
        Caller caller = Caller.of(identity);
        return caller.seesAllTeams() ? null : caller.teams();
    }

    private static boolean visible(Disqualification d, Caller caller) {
        if (caller.seesAllTeams()) {
            return true;
        }
        if (caller.is(Roles.SALES_MANAGER) && caller.manages(d.teamName)) {
            return true;
        }
        return caller.is(Roles.SDR) && caller.username().equals(d.ownerUsername);
    }
}
