package com.revops.feedback.disqualification;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.QueryParam;

import com.revops.platform.web.ProblemException;

/** The filters of the disqualification list and its CSV export (query parameters). */
public class DisqualificationFilter {

    /** Disqualified at or after (ISO instant). */
    @QueryParam("from")
    public Instant from;

    /** Disqualified before (ISO instant). */
    @QueryParam("to")
    public Instant to;

    @QueryParam("leadId")
    public java.util.UUID leadId;

    @QueryParam("source")
    public String source;

    @QueryParam("channel")
    public String channel;

    @QueryParam("campaign")
    public String campaign;

    /** Reason code. */
    @QueryParam("reason")
    public String reason;

    /** Reason category (fit, timing, ...). */
    @QueryParam("category")
    public String category;

    @QueryParam("country")
    public String country;

    @QueryParam("companySize")
    public String companySize;

    @QueryParam("industry")
    public String industry;

    /** Owner (Keycloak username of the SDR). */
    @QueryParam("owner")
    public String owner;

    @QueryParam("team")
    public String team;

    /** PROVIDED or MISSING. */
    @QueryParam("reasonState")
    public String reasonState;

    /** ACTIVE, RECYCLED, REQUALIFIED or REOPENED. */
    @QueryParam("state")
    public String state;

    /** Only leads disqualified without any contact attempt (true) or only with one (false). */
    @QueryParam("noContactAttempt")
    public Boolean noContactAttempt;

    /** A HQL condition and its parameters, for the filters that are set. */
    public record Where(String clause, Map<String, Object> params) {
    }

    public Where where(Set<String> onlyTeams) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ProblemException.BadRequest("from must be before to");
        }
        StringBuilder sb = new StringBuilder("1 = 1");
        Map<String, Object> p = new LinkedHashMap<>();
        add(sb, p, "d.disqualifiedAt >= :from", "from", from);
        add(sb, p, "d.disqualifiedAt < :to", "to", to);
        add(sb, p, "d.leadId = :leadId", "leadId", leadId);
        add(sb, p, "d.source = :source", "source", source);
        add(sb, p, "d.channel = :channel", "channel", channel);
        add(sb, p, "d.campaign = :campaign", "campaign", campaign);
        add(sb, p, "d.reasonCode = :reason", "reason", reason);
        add(sb, p, "d.reasonCategory = :category", "category", category);
        add(sb, p, "d.country = :country", "country", country);
        add(sb, p, "d.companySize = :companySize", "companySize", companySize);
        add(sb, p, "d.industry = :industry", "industry", industry);
        add(sb, p, "d.ownerUsername = :owner", "owner", owner);
        add(sb, p, "d.teamName = :team", "team", team);
        add(sb, p, "d.reasonState = :reasonState", "reasonState", reasonState);
        add(sb, p, "d.state = :state", "state", state);
        add(sb, p, "d.noContactAttempt = :noContact", "noContact", noContactAttempt);
        if (onlyTeams != null) {
            sb.append(" AND d.teamName IN :teams");
            p.put("teams", onlyTeams.isEmpty() ? Set.of("\u0000none") : onlyTeams);
        }
        return new Where(sb.toString(), p);
    }

    private static void add(StringBuilder sb, Map<String, Object> p, String clause, String name, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            return;
        }
        sb.append(" AND ").append(clause);
        p.put(name, value);
    }
}
