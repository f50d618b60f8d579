package com.revops.attribution.metrics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.revops.attribution.models.Money;
import com.revops.platform.security.Roles;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Campaign spend, the input of CAC payback. */
@Path("/campaign-spend")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Revenue metrics")
@SecurityRequirement(name = "bearer")
public class SpendResource {

    private final Pool pool;
    private final SecurityIdentity identity;

    public SpendResource(Pool pool, SecurityIdentity identity) {
        this.pool = pool;
        this.identity = identity;
    }

    /** Spend on a campaign over a period, for a segment. */
    public record Spend(UUID id, String campaign, String segment, LocalDate periodStart, LocalDate periodEnd,
            BigDecimal amount, String currency) {
    }

    @GET
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Campaign spend; filter by campaign and segment")
    @APIResponse(responseCode = "200", description = "Spend rows")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<List<Spend>> list(@QueryParam("campaign") String campaign, @QueryParam("segment") String segment) {
        return pool.preparedQuery("""
                SELECT id, campaign, segment, period_start, period_end, amount_minor, currency FROM campaign_spend
                 WHERE ($1::text IS NULL OR campaign = $1) AND ($2::text IS NULL OR segment = $2)
                 ORDER BY period_start, campaign, id""").execute(Tuple.of(campaign, segment)).map(rows -> {
            List<Spend> out = new ArrayList<>();
            rows.forEach(r -> out.add(new Spend(r.getUUID("id"), r.getString("campaign"), r.getString("segment"),
                    r.getLocalDate("period_start"), r.getLocalDate("period_end"),
                    Money.toDecimal(r.getLong("amount_minor"), r.getString("currency")), r.getString("currency"))));
            return out;
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.MARKETING_OPS, Roles.REVOPS_ADMIN})
    @Operation(summary = "Record spend on a campaign for a period and segment")
    @APIResponse(responseCode = "201", description = "Stored")
    @APIResponse(responseCode = "400", description = "Malformed body")
    @APIResponse(responseCode = "422", description = "Negative amount, unknown currency, bad period")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Spend>> add(Spend s) {
        if (s == null) {
            throw new ProblemException.BadRequest("a spend body is required");
        }
        List<Problem.Violation> v = new ArrayList<>();
        if (s.campaign() == null || s.campaign().isBlank()) {
            v.add(new Problem.Violation("campaign", "required"));
        }
        if (s.periodStart() == null || s.periodEnd() == null || s.periodEnd().isBefore(s.periodStart())) {
            v.add(new Problem.Violation("periodEnd", "periodStart and periodEnd required, end not before start"));
        }
        if (!Money.isKnownCurrency(s.currency())) {
            v.add(new Problem.Violation("currency", "an ISO 4217 currency code"));
        }
        long minor = 0;
        if (s.amount() == null || s.amount().signum() < 0) {
            v.add(new Problem.Violation("amount", "required, not negative"));
        } else if (Money.isKnownCurrency(s.currency())) {
            try {
                minor = Money.toMinor(s.amount(), s.currency(), true);
            } catch (ArithmeticException e) {
                v.add(new Problem.Violation("amount", "more decimals than " + s.currency() + " has"));
            }
        }
        if (!v.isEmpty()) {
            throw new ProblemException.Unprocessable("the spend is not valid", v);
        }
        UUID id = UUID.randomUUID();
        return pool.preparedQuery("""
                INSERT INTO campaign_spend (id, campaign, segment, period_start, period_end, amount_minor, currency,
                                            created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.from(new Object[] {id, s.campaign(), s.segment(), s.periodStart(), s.periodEnd(), minor,
                        s.currency(), identity.getPrincipal().getName()}))
                .map(x -> RestResponse.status(RestResponse.Status.CREATED, new Spend(id, s.campaign(), s.segment(),
                        s.periodStart(), s.periodEnd(), s.amount(), s.currency())));
    }
}
