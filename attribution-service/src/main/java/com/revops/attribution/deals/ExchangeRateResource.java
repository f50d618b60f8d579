package com.revops.attribution.deals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

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

/**
 * Dated exchange rates into the reporting currency of the signed definition: a rate holds from its date until the
 * next one. Deals are converted at the rate valid on their close day (or today while open); every deal is queued
 * for recomputation when a rate is added.
 */
@Path("/exchange-rates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Exchange rates")
@SecurityRequirement(name = "bearer")
public class ExchangeRateResource {

    private final Pool pool;
    private final SecurityIdentity identity;

    public ExchangeRateResource(Pool pool, SecurityIdentity identity) {
        this.pool = pool;
        this.identity = identity;
    }

    /** Units of the reporting currency per unit of {@code currency}, from {@code validFrom}. */
    public record Rate(String currency, LocalDate validFrom, BigDecimal rate) {
    }

    @GET
    @RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
    @Operation(summary = "Dated exchange rates, by currency and date")
    @APIResponse(responseCode = "200", description = "Rates")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<List<Rate>> list(@QueryParam("currency") String currency) {
        return pool.preparedQuery("""
                SELECT currency, valid_from, rate FROM exchange_rate WHERE ($1::text IS NULL OR currency = $1)
                 ORDER BY currency, valid_from""").execute(Tuple.of(currency)).map(rows -> {
            List<Rate> out = new ArrayList<>();
            rows.forEach(r -> out.add(new Rate(r.getString("currency"), r.getLocalDate("valid_from"),
                    r.getBigDecimal("rate").stripTrailingZeros())));
            return out;
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REVOPS_ADMIN)
    @Operation(summary = "Add or correct rates (all or nothing)")
    @APIResponse(responseCode = "201", description = "Stored")
    @APIResponse(responseCode = "400", description = "Malformed body")
    @APIResponse(responseCode = "422", description = "Unknown currency, missing date or non-positive rate")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<List<Rate>>> add(List<Rate> rates) {
        if (rates == null || rates.isEmpty()) {
            throw new ProblemException.BadRequest("a non-empty list of rates is required");
        }
        List<Problem.Violation> v = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            Rate r = rates.get(i);
            if (r == null || !Money.isKnownCurrency(r.currency())) {
                v.add(new Problem.Violation("[" + i + "].currency", "an ISO 4217 currency code"));
            }
            if (r == null || r.validFrom() == null) {
                v.add(new Problem.Violation("[" + i + "].validFrom", "required"));
            }
            if (r == null || r.rate() == null || r.rate().signum() <= 0) {
                v.add(new Problem.Violation("[" + i + "].rate", "must be positive"));
            }
        }
        if (!v.isEmpty()) {
            throw new ProblemException.Unprocessable("the rates are not valid", v);
        }
        List<Tuple> rows = rates.stream().map(r -> Tuple.of(r.currency(), r.validFrom(), r.rate(),
                identity.getPrincipal().getName())).toList();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                INSERT INTO exchange_rate (currency, valid_from, rate, created_by) VALUES ($1, $2, $3, $4)
                ON CONFLICT (currency, valid_from) DO UPDATE SET rate = EXCLUDED.rate, created_by = EXCLUDED.created_by,
                    created_at = now()""").executeBatch(rows)
                .chain(() -> conn.query("INSERT INTO deal_dirty (deal_id) SELECT id FROM deal WHERE NOT deleted "
                        + "ON CONFLICT DO NOTHING").execute()))
                .map(x -> RestResponse.status(RestResponse.Status.CREATED, rates));
    }
}
