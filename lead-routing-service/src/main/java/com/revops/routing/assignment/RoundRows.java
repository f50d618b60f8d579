package com.revops.routing.assignment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.routing.sla.SlaTimer;

import io.smallrye.mutiny.Uni;

/**
 * The rows a round of new leads inserts (a decision and an assignment per routed lead, two SLA timers per clock),
 * written by one statement at the end of the round instead of one entity insert each.
 *
 * <p>Each new lead otherwise costs four entity inserts through the ORM, and their bookkeeping (cascades, action
 * queue, per-row binding) showed as a large share of the service's CPU in a profile of the load benchmark. The round
 * is the one sequential step every new lead waits for, so its length is the routing delay. The rows go as three JSON
 * arrays expanded by {@code jsonb_to_recordset} in one statement with data-modifying CTEs, so the foreign keys
 * between them (a timer's assignment, an assignment's decision) hold within the statement. The arrays are bound as
 * text and cast: a string bound straight to a jsonb parameter would arrive as one JSON string. The rows are never
 * read back in the same transaction.
 */
final class RoundRows {

    private static final String INSERT = """
            WITH d AS (
              INSERT INTO routing_decision (id, lead_id, decided_at, trigger, reason, rule_set_version, rule_name,
                                            team_id, chosen_username, queue, decided_by, comment, trace)
              SELECT id, lead_id, decided_at, trigger, reason, rule_set_version, rule_name, team_id, chosen_username,
                     queue, decided_by, comment, trace::jsonb
                FROM jsonb_to_recordset(cast(cast(:decisions as text) as jsonb))
                     AS x(id uuid, lead_id uuid, decided_at timestamptz, trigger text, reason text,
                     rule_set_version integer, rule_name text, team_id uuid, chosen_username text, queue text,
                     decided_by text, comment text, trace text)
              RETURNING 1
            ), a AS (
              INSERT INTO lead_assignment (id, lead_id, username, team_id, decision_id, assigned_at)
              SELECT id, lead_id, username, team_id, decision_id, assigned_at
                FROM jsonb_to_recordset(cast(cast(:assignments as text) as jsonb))
                     AS x(id uuid, lead_id uuid, username text, team_id uuid, decision_id uuid, assigned_at timestamptz)
              RETURNING 1
            ), t AS (
              INSERT INTO sla_timer (id, lead_id, assignment_id, kind, due_at, state)
              SELECT id, lead_id, assignment_id, kind, due_at, state
                FROM jsonb_to_recordset(cast(cast(:timers as text) as jsonb))
                     AS x(id uuid, lead_id uuid, assignment_id uuid, kind text, due_at timestamptz, state text)
              RETURNING 1
            ), n AS (
              SELECT pg_notify('lead_assigned', p) FROM unnest(cast(cast(:notifications as text) as text[])) p
            )
            SELECT (SELECT count(*) FROM d) + (SELECT count(*) FROM a) + (SELECT count(*) FROM t)
                   + 0 * (SELECT count(*) FROM n)""";

    private final List<Map<String, Object>> decisions = new ArrayList<>();
    private final List<Map<String, Object>> assignments = new ArrayList<>();
    private final List<Map<String, Object>> timers = new ArrayList<>();

    Uni<Void> add(RoutingDecision d) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", d.id.toString());
        row.put("lead_id", d.leadId.toString());
        row.put("decided_at", timestamp(d.decidedAt));
        row.put("trigger", d.trigger);
        row.put("reason", d.reason);
        row.put("rule_set_version", d.ruleSetVersion);
        row.put("rule_name", d.ruleName);
        row.put("team_id", d.teamId == null ? null : d.teamId.toString());
        row.put("chosen_username", d.chosenUsername);
        row.put("queue", d.queue);
        row.put("decided_by", d.decidedBy);
        row.put("comment", d.comment);
        row.put("trace", d.trace);
        decisions.add(row);
        return Uni.createFrom().voidItem();
    }

    Uni<Void> add(LeadAssignment a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", a.id.toString());
        row.put("lead_id", a.leadId.toString());
        row.put("username", a.username);
        row.put("team_id", a.teamId == null ? null : a.teamId.toString());
        row.put("decision_id", a.decisionId.toString());
        row.put("assigned_at", timestamp(a.assignedAt));
        assignments.add(row);
        return Uni.createFrom().voidItem();
    }

    void add(SlaTimer t) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", t.id.toString());
        row.put("lead_id", t.leadId.toString());
        row.put("assignment_id", t.assignmentId.toString());
        row.put("kind", t.kind);
        row.put("due_at", timestamp(t.dueAt));
        row.put("state", t.state);
        timers.add(row);
    }

    /**
     * Microseconds, cut the way the ORM cuts them when it writes the same instant elsewhere (the lead's SLA due
     * date): PostgreSQL would round the nanoseconds of an ISO string instead, and the two copies would differ.
     */
    private static String timestamp(java.time.Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
    }

    /** A text[] literal: every element quoted, backslashes and quotes escaped. */
    static String pgArray(List<String> values) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append('}').toString();
    }

    int size() {
        return decisions.size() + assignments.size() + timers.size();
    }

    /**
     * Inserts the collected rows in the session's transaction (after the session's own pending writes) and sends
     * the {@code lead_assigned} notifications of the live assignment stream (delivered only if it commits).
     */
    Uni<Void> write(Mutiny.Session s, ObjectMapper json, List<String> notifications) {
        if (size() == 0 && notifications.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        try {
            int expected = size();
            return s.createNativeQuery(INSERT, Long.class)
                    .setParameter("decisions", json.writeValueAsString(decisions))
                    .setParameter("assignments", json.writeValueAsString(assignments))
                    .setParameter("timers", json.writeValueAsString(timers))
                    .setParameter("notifications", pgArray(notifications))
                    .getSingleResult()
                    .invoke(n -> {
                        if (n.intValue() != expected) {
                            throw new IllegalStateException("a routing round wrote " + n + " rows, expected "
                                    + expected);
                        }
                    })
                    .replaceWithVoid();
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
