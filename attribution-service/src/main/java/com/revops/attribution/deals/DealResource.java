package com.revops.attribution.deals;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
import com.revops.attribution.explain.ExplainService;
import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Deals: list, import with history, and the per-deal attribution explanation. */
@Path("/deals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deals")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
public class DealResource {

    private final Pool pool;
    private final DealIntakeService intake;
    private final ExplainService explain;

    public DealResource(Pool pool, DealIntakeService intake, ExplainService explain) {
        this.pool = pool;
        this.intake = intake;
        this.explain = explain;
    }

    /** A deal in a list. */
    public record DealView(UUID id, String crm, String crmId, String name, String stage, String owner, String team,
            String source, String accountDomain, long amountMinor, String currency, Instant createdAt,
            Instant updatedAt, boolean deleted) {
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
    @Operation(summary = "Deals, most recently changed first; filters stage, owner, team, from/to (created); "
            + "format=csv for a spreadsheet")
    @APIResponse(responseCode = "200", description = "A page of deals")
    @APIResponse(responseCode = "400", description = "Invalid paging or filter")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> list(@QueryParam("stage") String stage, @QueryParam("owner") String owner,
            @QueryParam("team") String team, @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size,
            @QueryParam("format") @DefaultValue("json") String format) {
        return pool.preparedQuery("""
                SELECT id, crm, crm_id, name, stage, owner, team, source, account_domain, amount_minor, currency,
                       created_at, updated_at, deleted
                  FROM deal
                 WHERE ($1::text IS NULL OR stage = $1) AND ($2::text IS NULL OR owner = $2)
                   AND ($3::text IS NULL OR team = $3) AND ($4::timestamptz IS NULL OR created_at >= $4)
                   AND ($5::timestamptz IS NULL OR created_at < $5)
                 ORDER BY updated_at DESC, id LIMIT $6 OFFSET $7""")
                .execute(Tuple.from(new Object[] {stage, owner, team, utc(from), utc(to), size, page * size}))
                .map(rows -> {
                    List<DealView> deals = new ArrayList<>();
                    rows.forEach(r -> deals.add(view(r)));
                    if (!"csv".equalsIgnoreCase(format)) {
                        return RestResponse.ok((Object) deals);
                    }
                    List<List<Object>> lines = new ArrayList<>();
                    deals.forEach(d -> lines.add(java.util.Arrays.asList(d.id(), d.crm(), d.crmId(), d.name(),
                            d.stage(), d.owner(), d.team(), d.source(), d.accountDomain(), d.amountMinor(),
                            d.currency(), d.createdAt(), d.updatedAt(), d.deleted())));
                    return Csv.response("deals.csv", List.of("id", "crm", "crm_id", "name", "stage", "owner", "team",
                            "source", "account_domain", "amount_minor", "currency", "created_at", "updated_at",
                            "deleted"), lines);
                });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One deal")
    @APIResponse(responseCode = "200", description = "The deal")
    @APIResponse(responseCode = "404", description = "No such deal")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<DealView> get(@PathParam("id") UUID id) {
        return pool.preparedQuery("""
                SELECT id, crm, crm_id, name, stage, owner, team, source, account_domain, amount_minor, currency,
                       created_at, updated_at, deleted FROM deal WHERE id = $1""").execute(Tuple.of(id))
                .map(rows -> {
                    for (Row r : rows) {
                        return view(r);
                    }
                    throw new ProblemException.NotFound("deal " + id + " does not exist");
                });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SERVICE})
    @Operation(summary = "Import or replace a deal with its stage and amount history and its contacts")
    @APIResponse(responseCode = "201", description = "Stored; queued for attribution")
    @APIResponse(responseCode = "400", description = "Malformed body")
    @APIResponse(responseCode = "422", description = "Negative amount, unknown currency, missing times... "
            + "(violations listed); nothing stored")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<DealView>> importDeal(DealImport body) {
        if (body == null) {
            throw new ProblemException.BadRequest("a deal body is required");
        }
        return intake.importDeal(body).chain(this::get)
                .map(d -> RestResponse.ResponseBuilder.<DealView>created(URI.create("/deals/" + d.id())).entity(d)
                        .build());
    }

    @GET
    @Path("/{id}/attribution")
    @Operation(summary = "Explain a deal's attribution: each touch with its milestones, the rule applied and its "
            + "amount, and why any touch was excluded (model defaults to the signed definition's)")
    @APIResponse(responseCode = "200", description = "The explanation")
    @APIResponse(responseCode = "404", description = "No such deal")
    @APIResponse(responseCode = "422", description = "Unknown or data-driven model")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<ExplainService.DealExplanation> attribution(@PathParam("id") UUID id, @QueryParam("model") String model,
            @QueryParam("asOf") Instant asOf) {
        return explain.explain(id, model, asOf);
    }

    static DealView view(Row r) {
        return new DealView(r.getUUID("id"), r.getString("crm"), r.getString("crm_id"), r.getString("name"),
                r.getString("stage"), r.getString("owner"), r.getString("team"), r.getString("source"),
                r.getString("account_domain"), r.getLong("amount_minor"), r.getString("currency"),
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant(),
                r.getBoolean("deleted"));
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
