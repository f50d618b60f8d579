package com.revops.attribution.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

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
import org.jboss.resteasy.reactive.RestResponse;

import com.revops.attribution.common.Csv;
import com.revops.platform.security.Roles;

import io.smallrye.mutiny.Uni;

/**
 * The shared revenue model for leaders and marketing ops. Every answer carries the definition version it was
 * computed with and the freshness of each source; {@code format=csv} gives the rows as a spreadsheet.
 */
@Path("/metrics")
@Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
@Tag(name = "Revenue metrics")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.MARKETING_OPS, Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
public class MetricsResource {

    private final MetricsService metrics;

    public MetricsResource(MetricsService metrics) {
        this.metrics = metrics;
    }

    @GET
    @Path("/qpc")
    @Operation(summary = "Qualified Pipeline Created by period, source, channel, campaign or team")
    @APIResponse(responseCode = "200", description = "QPC rows with definition version and freshness")
    @APIResponse(responseCode = "422", description = "Missing or invalid from/to/groupBy/period")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> qpc(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("groupBy") String groupBy, @QueryParam("period") String period,
            @QueryParam("format") @DefaultValue("json") String format) {
        return metrics.qpc(from, to, groupBy, period).map(a -> out(a, format, "qpc.csv",
                List.of("key", "amount_minor", "deals"), r -> Arrays.asList(r.key(), r.amountMinor(), r.deals())));
    }

    @GET
    @Path("/qpc/records")
    @Operation(summary = "The deals behind one QPC value (key = the row's key), paginated")
    @APIResponse(responseCode = "200", description = "Deals with the credit each gives to the value")
    @APIResponse(responseCode = "400", description = "Invalid paging")
    @APIResponse(responseCode = "422", description = "Missing or invalid parameters")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> qpcRecords(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("groupBy") String groupBy, @QueryParam("period") String period,
            @QueryParam("key") String key,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size,
            @QueryParam("format") @DefaultValue("json") String format) {
        if (key == null) {
            throw MetricsService.bad("key", "required: the key of the QPC row to explain");
        }
        return metrics.qpcRecords(from, to, groupBy, period, key, page, size).map(a -> out(a, format,
                "qpc-records.csv", List.of("deal_id", "name", "qualified_at", "stage", "credit_minor",
                        "deal_amount_minor"), r -> Arrays.asList(r.dealId(), r.name(), r.qualifiedAt(), r.stage(),
                        r.creditMinor(), r.dealAmountMinor())));
    }

    @GET
    @Path("/pipeline-to-revenue")
    @Operation(summary = "Pipeline-to-revenue conversion within the expected cycle, marketing- vs sales-sourced")
    @APIResponse(responseCode = "200", description = "Conversion rows")
    @APIResponse(responseCode = "422", description = "Missing or invalid from/to")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> pipelineToRevenue(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("format") @DefaultValue("json") String format) {
        return metrics.pipelineToRevenue(from, to).map(a -> out(a, format, "pipeline-to-revenue.csv",
                List.of("key", "qualified_minor", "won_within_cycle_minor", "qualified_deals", "won_deals", "rate"),
                r -> Arrays.asList(r.key(), r.qualifiedMinor(), r.wonWithinCycleMinor(), r.qualifiedDeals(),
                        r.wonDeals(), r.rate())));
    }

    @GET
    @Path("/lead-to-opportunity")
    @Operation(summary = "Lead-to-opportunity conversion by lead source")
    @APIResponse(responseCode = "200", description = "Conversion rows")
    @APIResponse(responseCode = "422", description = "Missing or invalid from/to")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> leadToOpportunity(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("format") @DefaultValue("json") String format) {
        return metrics.leadToOpportunity(from, to).map(a -> out(a, format, "lead-to-opportunity.csv",
                List.of("source", "leads", "opportunities", "rate"),
                r -> Arrays.asList(r.source(), r.leads(), r.opportunities(), r.rate())));
    }

    @GET
    @Path("/ttft")
    @Operation(summary = "Time to first touch by channel (from routing)")
    @APIResponse(responseCode = "200", description = "TTFT rows")
    @APIResponse(responseCode = "422", description = "Missing or invalid from/to")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> ttft(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("format") @DefaultValue("json") String format) {
        return metrics.ttftByChannel(from, to).map(a -> out(a, format, "ttft.csv",
                List.of("channel", "leads", "average_seconds", "median_seconds", "p90_seconds"),
                r -> Arrays.asList(r.channel(), r.leads(), r.averageSeconds(), r.medianSeconds(), r.p90Seconds())));
    }

    @GET
    @Path("/sourced-vs-influenced")
    @Operation(summary = "Sourced (exclusive) next to influenced (non-additive) next to last touch, per channel")
    @APIResponse(responseCode = "200", description = "Rows per channel")
    @APIResponse(responseCode = "422", description = "Missing or invalid from/to")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> sourcedInfluenced(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("format") @DefaultValue("json") String format) {
        return metrics.sourcedInfluenced(from, to).map(a -> out(a, format, "sourced-vs-influenced.csv",
                List.of("channel", "sourced_minor", "sourced_share", "influenced_minor_non_additive",
                        "last_touch_minor"),
                r -> Arrays.asList(r.channel(), r.sourcedMinor(), r.sourcedShare(), r.influencedMinor(),
                        r.lastTouchMinor())));
    }

    @GET
    @Path("/stage-conversion")
    @Operation(summary = "Stage conversion of the deals created in the period (stage order from the definition)")
    @APIResponse(responseCode = "200", description = "One row per stage, then won")
    @APIResponse(responseCode = "422", description = "Missing or invalid from/to")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> stageConversion(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("format") @DefaultValue("json") String format) {
        return metrics.stageConversion(from, to).map(a -> out(a, format, "stage-conversion.csv",
                List.of("stage", "reached", "conversion_to_next"),
                r -> Arrays.asList(r.stage(), r.reached(), r.conversionToNext())));
    }

    @GET
    @Path("/pipeline-velocity")
    @Operation(summary = "Pipeline velocity of the QPC cohort with its components")
    @APIResponse(responseCode = "200", description = "Velocity per day and its components")
    @APIResponse(responseCode = "422", description = "Missing or invalid from/to")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> velocity(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("format") @DefaultValue("json") String format) {
        return metrics.velocity(from, to).map(a -> out(a, format, "pipeline-velocity.csv",
                List.of("qualified_deals", "won", "lost", "open", "win_rate", "average_won_minor",
                        "average_cycle_days", "velocity_per_day_minor"),
                r -> Arrays.asList(r.qualifiedDeals(), r.won(), r.lost(), r.open(), r.winRate(), r.averageWonMinor(),
                        r.averageCycleDays(), r.velocityPerDayMinor())));
    }

    @GET
    @Path("/cac-payback")
    @Operation(summary = "CAC payback by segment, from campaign spend (POST /campaign-spend) and sourced won revenue")
    @APIResponse(responseCode = "200", description = "One row per segment")
    @APIResponse(responseCode = "422", description = "Missing or invalid from/to")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<RestResponse<Object>> cacPayback(@QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("format") @DefaultValue("json") String format) {
        return metrics.cacPayback(from, to).map(a -> out(a, format, "cac-payback.csv",
                List.of("segment", "spend_minor", "sourced_won_minor", "spend_rows_without_rate", "payback_months"),
                r -> Arrays.asList(r.segment(), r.spendMinor(), r.sourcedWonMinor(), r.spendWithoutRate(),
                        r.paybackMonths())));
    }

    @GET
    @Path("/{metric: pipeline-to-revenue|sourced-vs-influenced|lead-to-opportunity|ttft}/records")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The records behind one value (key = the row's key: sourcing team, channel or source), "
            + "paginated")
    @APIResponse(responseCode = "200", description = "Records with the values they contribute")
    @APIResponse(responseCode = "400", description = "Invalid paging")
    @APIResponse(responseCode = "422", description = "Missing or invalid parameters")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<MetricsService.Answer<java.util.Map<String, Object>>> records(
            @jakarta.ws.rs.PathParam("metric") String metric, @QueryParam("from") Instant from,
            @QueryParam("to") Instant to, @QueryParam("key") String key,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        return metrics.records(metric, from, to, key, page, size);
    }

    @GET
    @Path("/freshness")
    @Operation(summary = "When each source last changed and how many deals wait for their recompute")
    @APIResponse(responseCode = "200", description = "Freshness")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Role not allowed")
    public Uni<MetricsService.Freshness> freshness() {
        return metrics.freshness();
    }

    static <T> RestResponse<Object> out(MetricsService.Answer<T> answer, String format, String file,
            List<String> header, Function<T, List<Object>> row) {
        if (!"csv".equalsIgnoreCase(format)) {
            return RestResponse.ResponseBuilder.ok((Object) answer, MediaType.APPLICATION_JSON_TYPE).build();
        }
        List<List<Object>> rows = new ArrayList<>();
        answer.rows().forEach(r -> rows.add(row.apply(r)));
        // the definition version and freshness travel with the spreadsheet too
        return RestResponse.ResponseBuilder.fromResponse(Csv.response(file, header, rows))
                .header("X-Definition-Version", answer.definition().version())
                .header("X-Data-Freshness", answer.freshness().creditsComputedAt()).build();
    }
}
