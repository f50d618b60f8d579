package com.revops.attribution.definitions;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.web.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Drafts, approvals and the active definition. SQL on the reactive pool, one transaction per write. */
@ApplicationScoped
public class DefinitionService {

    static final String COLUMNS = "id, version, status, body::text AS body, drafted_by, drafted_at, sales_approved_by,"
            + " sales_approved_at, marketing_approved_by, marketing_approved_at, activated_at";

    private final Pool pool;
    private final ObjectMapper mapper;

    public DefinitionService(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** The definition in effect: the last one both sides signed, or the built-in unsigned default. */
    public Uni<Definition> active() {
        return active(pool);
    }

    public Uni<Definition> active(SqlClient client) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM metric_definition WHERE status = 'ACTIVE'")
                .execute().map(rows -> {
                    for (Row r : rows) {
                        return map(r);
                    }
                    return Definition.BUILT_IN;
                });
    }

    public Uni<List<Definition>> list() {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM metric_definition ORDER BY version DESC").execute()
                .map(rows -> {
                    List<Definition> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Uni<Definition> get(int version) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM metric_definition WHERE version = $1")
                .execute(Tuple.of(version)).map(rows -> {
                    for (Row r : rows) {
                        return map(r);
                    }
                    throw new ProblemException.NotFound("definition version " + version + " does not exist");
                });
    }

    public Uni<Definition> draft(DefinitionBody body, String user) {
        var violations = body.violations();
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the definition is not valid",
                    violations));
        }
        String json = json(body);
        return pool.withTransaction(conn -> conn.query("LOCK TABLE metric_definition IN SHARE ROW EXCLUSIVE MODE")
                .execute()
                .chain(() -> conn.preparedQuery("""
                        INSERT INTO metric_definition (id, version, status, body, drafted_by)
                        SELECT $1, coalesce(max(version), 0) + 1, 'DRAFT', $2::text::jsonb, $3 FROM metric_definition
                        RETURNING """ + " " + COLUMNS).execute(Tuple.of(UUID.randomUUID(), json, user)))
                .map(rows -> map(rows.iterator().next())));
    }

    /**
     * Records one side's approval. When both sides have signed, the draft becomes ACTIVE, the previous one
     * SUPERSEDED, and every deal is queued for recomputation under the new definition.
     */
    public Uni<Definition> approve(int version, String user, Set<String> roles, String requestedSide) {
        SignOff.Side side;
        try {
            side = SignOff.side(requestedSide, roles);
        } catch (SignOff.Refused e) {
            return Uni.createFrom().failure(e.conflict ? new ProblemException.Conflict(e.getMessage())
                    : new ProblemException(403, "forbidden", e.getMessage(), null));
        }
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT " + COLUMNS
                + " FROM metric_definition WHERE version = $1 FOR UPDATE").execute(Tuple.of(version))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new ProblemException.NotFound("definition version " + version + " does not exist");
                    }
                    Definition d = map(rows.iterator().next());
                    SignOff.Outcome o;
                    try {
                        o = SignOff.approve(d.status(), d.salesApprovedBy(), d.marketingApprovedBy(), side, user);
                    } catch (SignOff.Refused e) {
                        throw new ProblemException.Conflict(e.getMessage());
                    }
                    String column = side == SignOff.Side.SALES ? "sales" : "marketing";
                    Uni<?> before = o.activates()
                            ? conn.query("UPDATE metric_definition SET status = 'SUPERSEDED' WHERE status = 'ACTIVE'")
                                    .execute()
                            : Uni.createFrom().voidItem();
                    return before.chain(() -> conn.preparedQuery("UPDATE metric_definition SET " + column
                            + "_approved_by = $2, " + column + "_approved_at = now(), status = $3, activated_at = "
                            + "CASE WHEN $3 = 'ACTIVE' THEN now() ELSE activated_at END WHERE version = $1 RETURNING "
                            + COLUMNS).execute(Tuple.of(version, user, o.activates() ? "ACTIVE" : "DRAFT")))
                            .call(() -> o.activates()
                                    ? conn.query("INSERT INTO deal_dirty (deal_id) SELECT id FROM deal "
                                            + "WHERE NOT deleted ON CONFLICT DO NOTHING").execute()
                                    : Uni.createFrom().voidItem())
                            .map(updated -> map(updated.iterator().next()));
                }));
    }

    Definition map(Row r) {
        try {
            return new Definition(r.getUUID("id"), r.getInteger("version"), r.getString("status"),
                    mapper.readValue(r.getString("body"), DefinitionBody.class), r.getString("drafted_by"),
                    instant(r.getOffsetDateTime("drafted_at")), r.getString("sales_approved_by"),
                    instant(r.getOffsetDateTime("sales_approved_at")), r.getString("marketing_approved_by"),
                    instant(r.getOffsetDateTime("marketing_approved_at")),
                    instant(r.getOffsetDateTime("activated_at")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored definition is not readable", e);
        }
    }

    String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
