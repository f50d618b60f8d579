package com.revops.attribution.runs;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

import com.revops.attribution.common.Csv;
import com.revops.platform.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Attribution runs: start a full recompute, follow its progress and log, read its credits, diff two runs. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Attribution runs")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
public class RunResource {

    private final RunService runs;
    private final SecurityIdentity identity;

    public RunResource(RunService runs, SecurityIdentity identity) {
        this.runs = runs;
        this.identity = identity;
    }

    /** What to run. */
    public record StartRun(String model, Instant asOf) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.MARKETING_OPS, Roles.REVOPS_ADMIN})
    @Operation(summary = "Start a full recompute of one model over every deal (data as of now or asOf)")
    @APIResponse(responseCode = "202", description = "Started; follow Location for progress")
    @APIResponse(responseCode = "400", description = "Malformed body")
    @APIResponse(responseCode = "422", description = "Unknown model or asOf in the future")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<RunService.RunView>> start(StartRun body) {
        return runs.start(body == null ? null : body.model(), body == null ? null : body.asOf(),
                identity.getPrincipal().getName())
                .map(run -> RestResponse.ResponseBuilder.<RunService.RunView>accepted().entity(run)
                        .location(URI.create("/runs/" + run.id())).build());
    }

    @GET
    @Operation(summary = "Runs, newest first; filter by model and status")
    @APIResponse(responseCode = "200", description = "A page of runs")
    @APIResponse(responseCode = "400", description = "Invalid paging")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<List<RunService.RunView>> list(@QueryParam("model") String model, @QueryParam("status") String status,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return runs.list(model, status, page, size);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A run with its progress (the job resource of a full recompute)")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RunService.RunView> get(@PathParam("id") UUID id) {
        return runs.get(id);
    }

    @GET
    @Path("/{id}/log")
    @Operation(summary = "The log lines of a run")
    @APIResponse(responseCode = "200", description = "Log lines in order")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<List<RunService.LogLine>> log(@PathParam("id") UUID id) {
        return runs.log(id);
    }

    @GET
    @Path("/{id}/diff")
    @Operation(summary = "Change per channel and campaign against another run (default: the previous run of the "
            + "same model)")
    @APIResponse(responseCode = "200", description = "The diff (reporting currency, minor units)")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RunService.Diff> diff(@PathParam("id") UUID id, @QueryParam("against") UUID against) {
        return runs.diff(id, against);
    }

    @GET
    @Path("/{id}/credits")
    @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
    @Operation(summary = "The credit lines of a run (every touch with its rule, excluded ones with the reason); "
            + "format=csv for a spreadsheet")
    @APIResponse(responseCode = "200", description = "A page of credit lines")
    @APIResponse(responseCode = "400", description = "Invalid paging")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> credits(@PathParam("id") UUID id, @QueryParam("dealId") UUID dealId,
            @QueryParam("channel") String channel, @QueryParam("campaign") String campaign,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(10000) int size,
            @QueryParam("format") @DefaultValue("json") String format) {
        return runs.credits(id, dealId, channel, campaign, page, size).map(lines -> {
            if (!"csv".equalsIgnoreCase(format)) {
                return RestResponse.ok((Object) lines);
            }
            List<List<Object>> rows = new ArrayList<>();
            lines.forEach(l -> rows.add(java.util.Arrays.asList(l.dealId(), l.touchpointId(), l.line(), l.channel(),
                    l.campaign(), l.source(), l.team(), l.roles(), l.rule(), l.exclusion(), l.amountMinor(),
                    l.currency(), l.reportingMinor())));
            return Csv.response("run-" + id + "-credits.csv", List.of("deal_id", "touchpoint_id", "line", "channel",
                    "campaign", "source", "team", "roles", "rule", "exclusion", "amount_minor", "currency",
                    "reporting_minor"), rows);
        });
    }
}
