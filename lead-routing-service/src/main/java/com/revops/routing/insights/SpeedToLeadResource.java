package com.revops.routing.insights;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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

import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;
import com.revops.routing.leads.Viewer;
import com.revops.routing.sla.SlaBreach;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Speed to lead and SLA attainment, and the breach list. A manager sees their teams only.
 *
 * <p>Definitions: TTFT = lead created in the CRM (or received, when the CRM gave no time) -> first touch; routing
 * delay = created -> assigned to the current owner; rep delay = assigned -> first touch. A lead with a clock is
 * "met" when touched before its deadline and never breached, "breached" when any of its clocks ran out; attainment
 * is met / (met + breached). Leads still waiting (assigned or queued, never touched) are counted as never touched.
 */
@Path("/routing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Speed to lead")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Roles.SALES_MANAGER, Roles.REVOPS_ADMIN})
public class SpeedToLeadResource {

    static final Map<String, String> GROUPS = Map.of(
            "channel", "coalesce(l.channel, '(none)')",
            "source", "coalesce(l.source, '(none)')",
            "team", "coalesce(t.name, '(none)')",
            "rep", "coalesce(l.owner_username, '(unassigned)')",
            "intent", "coalesce(l.intent_tier, '(none)')",
            "day", "to_char(date_trunc('day', l.received_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
            "week", "to_char(date_trunc('week', l.received_at AT TIME ZONE 'UTC'), 'IYYY-\"W\"IW')",
            "all", "'all'");

    /** One group's figures; durations in seconds. */
    public record SpeedRow(String group, long leads, long touched, long neverTouched, Double ttftP50,
            Double ttftP90, Double ttftP99, Double routingDelayP50, Double routingDelayP90, Double repDelayP50,
            Double repDelayP90, long slaMet, long slaBreached, Double slaAttainment) {
    }

    public record SpeedReport(String groupBy, Instant from, Instant to, List<SpeedRow> rows) {
    }

    public record BreachView(UUID id, UUID leadId, String username, UUID teamId, String policy, Instant dueAt,
            Instant breachedAt, String outcome, String reassignedTo) {
    }

    public record BreachPage(List<BreachView> items, int page, int size, long total) {
    }

    private final SecurityIdentity identity;

    public SpeedToLeadResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Path("/metrics/speed-to-lead")
    @WithSession
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "TTFT p50/p90/p99, routing and rep delay, SLA attainment by channel, source, team, rep, "
            + "intent, day or week (format=csv for a spreadsheet)")
    @APIResponse(responseCode = "200", description = "The report")
    @APIResponse(responseCode = "400", description = "Unknown groupBy or format, or from after to")
    public Uni<RestResponse<Object>> speedToLead(@QueryParam("groupBy") @DefaultValue("channel") String groupBy,
            @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("format") @DefaultValue("json") String format) {
        String expr = GROUPS.get(groupBy);
        if (expr == null) {
            throw new ProblemException.BadRequest("groupBy is one of " + new java.util.TreeSet<>(GROUPS.keySet()));
        }
        if (!format.equals("json") && !format.equals("csv")) {
            throw new ProblemException.BadRequest("format is json or csv");
        }
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(30)) : from;
        if (!start.isBefore(end)) {
            throw new ProblemException.BadRequest("from must be before to");
        }
        Viewer v = Viewer.of(identity);
        String created = "coalesce(l.crm_created_at, l.received_at)";
        String sql = "SELECT " + expr + " AS g, count(*), count(l.first_touched_at), "
                + "count(*) FILTER (WHERE l.first_touched_at IS NULL AND l.status IN ('ASSIGNED', 'QUEUED')), "
                + pct(0.5, "l.first_touched_at - " + created) + ", " + pct(0.9, "l.first_touched_at - " + created)
                + ", " + pct(0.99, "l.first_touched_at - " + created) + ", "
                + pct(0.5, "l.assigned_at - " + created) + ", " + pct(0.9, "l.assigned_at - " + created) + ", "
                + pct(0.5, "l.first_touched_at - l.assigned_at") + ", "
                + pct(0.9, "l.first_touched_at - l.assigned_at") + ", "
                + "count(*) FILTER (WHERE l.sla_state = 'MET' AND NOT EXISTS (SELECT 1 FROM sla_breach b "
                + "WHERE b.lead_id = l.id)), "
                + "count(*) FILTER (WHERE l.sla_state IN ('BREACHED', 'ESCALATED') OR EXISTS (SELECT 1 FROM "
                + "sla_breach b WHERE b.lead_id = l.id)) "
                + "FROM lead l LEFT JOIN team t ON t.id = l.team_id "
                + "WHERE l.received_at >= :from AND l.received_at < :to AND l.status <> 'HISTORIC' "
                + (v.admin() ? "" : "AND t.keycloak_group IN (:groups) ")
                + "GROUP BY 1 ORDER BY 1";
        return Panache.getSession().chain(s -> {
            var q = s.createNativeQuery(sql, Object[].class).setParameter("from", start).setParameter("to", end);
            if (!v.admin()) {
                q.setParameter("groups", v.teams().isEmpty() ? List.of("") : List.copyOf(v.teams()));
            }
            return q.getResultList();
        }).map(rows -> {
            List<SpeedRow> out = new ArrayList<>();
            for (Object[] r : rows) {
                long met = num(r[11]);
                long breached = num(r[12]);
                out.add(new SpeedRow(String.valueOf(r[0]), num(r[1]), num(r[2]), num(r[3]), dbl(r[4]), dbl(r[5]),
                        dbl(r[6]), dbl(r[7]), dbl(r[8]), dbl(r[9]), dbl(r[10]), met, breached,
                        met + breached == 0 ? null : (double) met / (met + breached)));
            }
            SpeedReport report = new SpeedReport(groupBy, start, end, out);
            if (format.equals("csv")) {
                return RestResponse.ResponseBuilder.<Object>ok(csv(report), "text/csv; charset=UTF-8")
                        .header("Content-Disposition", "attachment; filename=\"speed-to-lead-" + groupBy + ".csv\"")
                        .build();
            }
            return RestResponse.ResponseBuilder.<Object>ok(report, MediaType.APPLICATION_JSON).build();
        });
    }

    @GET
    @Path("/breaches")
    @WithSession
    @Operation(summary = "SLA breaches, newest first (a manager sees their teams')")
    @APIResponse(responseCode = "200", description = "A page of breaches")
    public Uni<BreachPage> breaches(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size,
            @QueryParam("username") String username, @QueryParam("from") Instant from) {
        Viewer v = Viewer.of(identity);
        StringBuilder where = new StringBuilder(" from SlaBreach b where 1 = 1");
        if (!v.admin()) {
            where.append(" and b.teamId in (select t.id from SalesTeam t where t.keycloakGroup in :groups)");
        }
        if (username != null) {
            where.append(" and b.username = :u");
        }
        if (from != null) {
            where.append(" and b.breachedAt >= :from");
        }
        return Panache.getSession().chain(s -> {
            var list = s.createSelectionQuery(where + " order by b.breachedAt desc", SlaBreach.class);
            var count = s.createSelectionQuery("select count(*)" + where, Long.class);
            if (!v.admin()) {
                Set<String> g = v.teams().isEmpty() ? Set.of("") : v.teams();
                list.setParameter("groups", g);
                count.setParameter("groups", g);
            }
            if (username != null) {
                list.setParameter("u", username);
                count.setParameter("u", username);
            }
            if (from != null) {
                list.setParameter("from", from);
                count.setParameter("from", from);
            }
            return list.setFirstResult(page * size).setMaxResults(size).getResultList()
                    .chain(items -> count.getSingleResult().map(total -> new BreachPage(items.stream()
                            .map(b -> new BreachView(b.id, b.leadId, b.username, b.teamId, b.policy, b.dueAt,
                                    b.breachedAt, b.outcome, b.reassignedTo)).toList(), page, size, total)));
        });
    }

    private static String pct(double p, String interval) {
        return "percentile_cont(" + p + ") WITHIN GROUP (ORDER BY extract(epoch FROM " + interval + "))";
    }

    static String csv(SpeedReport r) {
        StringBuilder sb = new StringBuilder(r.groupBy()).append(",leads,touched,never_touched,ttft_p50_s,"
                + "ttft_p90_s,ttft_p99_s,routing_delay_p50_s,routing_delay_p90_s,rep_delay_p50_s,rep_delay_p90_s,"
                + "sla_met,sla_breached,sla_attainment\r\n");
        for (SpeedRow x : r.rows()) {
            sb.append(quote(x.group())).append(',').append(x.leads()).append(',').append(x.touched()).append(',')
                    .append(x.neverTouched());
            for (Double d : new Double[] {x.ttftP50(), x.ttftP90(), x.ttftP99(), x.routingDelayP50(),
                    x.routingDelayP90(), x.repDelayP50(), x.repDelayP90()}) {
                sb.append(',').append(d == null ? "" : String.format(java.util.Locale.ROOT, "%.3f", d));
            }
            sb.append(',').append(x.slaMet()).append(',').append(x.slaBreached()).append(',')
                    .append(x.slaAttainment() == null ? "" : String.format(java.util.Locale.ROOT, "%.4f",
                            x.slaAttainment())).append("\r\n");
        }
        return sb.toString();
    }

    static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static Double dbl(Object o) {
        return o == null ? null : o instanceof BigDecimal b ? b.doubleValue() : ((Number) o).doubleValue();
    }
}
