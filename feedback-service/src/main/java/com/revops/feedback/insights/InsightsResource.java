package com.revops.feedback.insights;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
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

import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.insights.InsightsService.Aggregates;
import com.revops.feedback.insights.InsightsService.ScoringDimension;
import com.revops.feedback.web.Csv;
import com.revops.platform.security.Roles;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.smallrye.mutiny.Uni;

/**
 * What marketing ops reads to refine targeting and scoring: disqualification rates and reason mix against the
 * baseline, trends, scoring feedback with Wilson intervals, and the reason-coded training export. Periods are lead
 * cohorts: leads created in [from, to), default the last 90 days.
 */
@Path("/insights")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Insights", description = "Aggregates, trends, scoring feedback and training export")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
@APIResponse(responseCode = "403", description = "Role (or team) not allowed (problem+json)")
@RolesAllowed({Roles.MARKETING_OPS, Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
public class InsightsResource {

    static final Set<String> INTERVALS = Set.of("day", "week", "month", "quarter");

    private final InsightsService service;
    private final FeedbackConfig config;
    private final ScoringScheduler scheduler;

    public InsightsResource(InsightsService service, FeedbackConfig config, ScoringScheduler scheduler) {
        this.service = service;
        this.config = config;
        this.scheduler = scheduler;
    }

    @GET
    @Path("/aggregates")
    @Operation(summary = "Disqualification rate and reason mix per value of a dimension, against the baseline",
            description = "dimension: source, channel, campaign, country, industry, companySize, seniority, "
                    + "intentTier, form, team, owner. Each value carries its Wilson interval, lift and difference "
                    + "from the baseline in percentage points, and its reason/category mix.")
    @APIResponse(responseCode = "200", description = "The aggregates")
    @APIResponse(responseCode = "400", description = "Unknown dimension or bad period")
    public Uni<Aggregates> aggregates(@QueryParam("dimension") String dimension, @QueryParam("from") Instant from,
            @QueryParam("to") Instant to) {
        Instant[] p = period(from, to);
        return service.aggregates(Dimension.parse(dimension), p[0], p[1]);
    }

    @GET
    @Path("/trends")
    @Operation(summary = "Leads, disqualified leads and rate per day/week/month/quarter (UTC), overall or for one "
            + "value of a dimension")
    @APIResponse(responseCode = "200", description = "The trend, oldest bucket first")
    @APIResponse(responseCode = "400", description = "Unknown interval or dimension, or bad period")
    public Uni<List<InsightsRepository.TrendPoint>> trends(@QueryParam("from") Instant from,
            @QueryParam("to") Instant to, @QueryParam("interval") @DefaultValue("week") String interval,
            @QueryParam("dimension") String dimension, @QueryParam("value") String value) {
        if (!INTERVALS.contains(interval)) {
            throw new ProblemException.BadRequest("interval must be one of " + INTERVALS);
        }
        Instant[] p = period(from, to);
        Dimension dim = dimension == null || dimension.isBlank() ? null : Dimension.parse(dimension);
        return service.trend(p[0], p[1], interval, dim, value);
    }

    @GET
    @Path("/scoring-feedback")
    @Operation(summary = "Scoring feedback: per attribute value, disqualification rate, fit-negative rate with its "
            + "Wilson interval, lift and a suggested score adjustment",
            description = "dimensions: comma-separated, default source,channel,campaign,country,industry,"
                    + "companySize,seniority.")
    @APIResponse(responseCode = "200", description = "One entry per dimension")
    @APIResponse(responseCode = "400", description = "Unknown dimension or bad period")
    public Uni<List<ScoringDimension>> scoring(@QueryParam("dimensions") String dimensions,
            @QueryParam("from") Instant from, @QueryParam("to") Instant to) {
        Instant[] p = period(from, to);
        return service.scoring(dimensions(dimensions), p[0], p[1]);
    }

    @POST
    @Path("/scoring-feedback/publish")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.REVOPS_ADMIN})
    @Operation(summary = "Publish the scoring feedback as scoring.feedback events (one per dimension)",
            description = "writeToCrm=true also writes each open lead's summed adjustment (capped at the maximum) "
                    + "to its CRM record through record.fields.set (field per CRM: FEEDBACK_SCORING_CRM_FIELD_*).")
    @APIResponse(responseCode = "200", description = "Published; the body is what was published")
    @APIResponse(responseCode = "400", description = "Unknown dimension or bad period")
    public Uni<InsightsService.Publication> publish(@QueryParam("dimensions") String dimensions,
            @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("writeToCrm") @DefaultValue("false") boolean writeToCrm) {
        Instant[] p = period(from, to);
        return service.publish(dimensions(dimensions), p[0], p[1], writeToCrm);
    }

    @GET
    @Path("/scoring-feedback/schedule")
    @RolesAllowed({Roles.MARKETING_OPS, Roles.REVOPS_ADMIN})
    @Operation(summary = "The scheduled scoring publication: its settings, its last run and what each dimension "
            + "last published")
    @APIResponse(responseCode = "200", description = "The schedule's status")
    public Uni<ScoringScheduler.Status> schedule() {
        return scheduler.status();
    }

    @GET
    @Path("/training-export.csv")
    @Produces("text/csv")
    @Operation(summary = "Reason-coded outcomes per lead for scoring tools to train on (CSV, RFC 4180, UTF-8)",
            description = "fitLabel: negative (fit, spam, data quality), neutral (timing, contactability, "
                    + "competition, duplicate, other), unknown (reason missing), none (not disqualified).")
    @APIResponse(responseCode = "200", description = "CSV with a header row")
    @APIResponse(responseCode = "422", description = "More rows than feedback.export-max-rows")
    public Uni<RestResponse<byte[]>> training(@QueryParam("from") Instant from, @QueryParam("to") Instant to) {
        Instant[] p = period(from, to);
        int max = config.exportMaxRows();
        return service.outcomes(p[0], p[1]).map(rows -> {
            if (rows.size() > max) {
                throw new ProblemException.Unprocessable("the export would exceed " + max + " rows",
                        List.of(new Problem.Violation("from", "narrow the period")));
            }
            StringBuilder sb = new StringBuilder();
            sb.append(Csv.row(List.of("leadId", "crm", "crmId", "createdAt", "source", "channel", "campaign", "form",
                    "country", "companySize", "industry", "seniority", "intentTier", "outcome", "reasonCode",
                    "reasonCategory", "fitLabel", "noContactAttempt", "disqualifiedAt")));
            for (InsightsRepository.Outcome o : rows) {
                sb.append(Csv.row(Arrays.asList(o.leadId(), o.crm(), o.crmId(), o.createdAt(), o.source(),
                        o.channel(), o.campaign(), o.form(), o.country(), o.companySize(), o.industry(),
                        o.seniority(), o.intentTier(), o.outcome(), o.reasonCode(), o.reasonCategory(), o.fitLabel(),
                        o.noContactAttempt(), o.disqualifiedAt())));
            }
            return RestResponse.ResponseBuilder.ok(sb.toString().getBytes(StandardCharsets.UTF_8))
                    .type("text/csv; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"training-outcomes.csv\"").build();
        });
    }

    static List<Dimension> dimensions(String list) {
        if (list == null || list.isBlank()) {
            return List.of(Dimension.SCORING);
        }
        List<Dimension> out = new ArrayList<>();
        for (String s : list.split(",")) {
            Dimension d = Dimension.parse(s);
            if (!out.contains(d)) {
                out.add(d);
            }
        }
        return out;
    }

    static Instant[] period(Instant from, Instant to) {
        Instant end = to != null ? to : Instant.now();
        Instant start = from != null ? from : end.minus(Duration.ofDays(90));
        if (!start.isBefore(end)) {
            throw new ProblemException.BadRequest("from must be before to");
        }
        if (Duration.between(start, end).toDays() > 3660) {
            throw new ProblemException.BadRequest("the period may cover at most ten years");
        }
        return new Instant[] {start, end};
    }
}
