package com.revops.attribution.deals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.attribution.definitions.DefinitionBody;
import com.revops.attribution.models.DealHistory;
import com.revops.attribution.models.RateTable;
import com.revops.attribution.models.TouchInput;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads deals with their history, contacts and touches in scope, and resolves them for the models (as of a time,
 * under a definition). Four queries per batch of deals, whatever the batch size.
 */
@ApplicationScoped
public class DealLoader {

    static final String TOUCH_COLUMNS = "t.id, t.occurred_at, t.channel, t.source, t.campaign, t.touch_type, t.team";

    public Uni<RateTable> rates(SqlClient client, String reportingCurrency) {
        return client.query("SELECT currency, valid_from, rate FROM exchange_rate").execute().map(rows -> {
            RateTable.Builder b = RateTable.builder(reportingCurrency);
            for (Row r : rows) {
                b.rate(r.getString("currency"), r.getLocalDate("valid_from"), r.getBigDecimal("rate"));
            }
            return b.build();
        });
    }

    /** Ids of the deals that existed (created, not deleted) at {@code asOf}, in id order, after {@code after}. */
    public Uni<List<UUID>> dealIds(SqlClient client, Instant asOf, UUID after, int limit) {
        return client.preparedQuery("""
                SELECT id FROM deal WHERE NOT deleted AND created_at <= $1 AND ($2::uuid IS NULL OR id > $2)
                 ORDER BY id LIMIT $3""").execute(Tuple.of(utc(asOf), after, limit)).map(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getUUID("id")));
            return ids;
        });
    }

    public Uni<Integer> countDeals(SqlClient client, Instant asOf) {
        return client.preparedQuery("SELECT count(*) AS n FROM deal WHERE NOT deleted AND created_at <= $1")
                .execute(Tuple.of(utc(asOf))).map(rows -> rows.iterator().next().getLong("n").intValue());
    }

    public Uni<List<LoadedDeal>> load(SqlClient client, List<UUID> ids, DefinitionBody definition, Instant asOf) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] idArray = ids.toArray(new UUID[0]);
        Tuple byIds = Tuple.of(idArray);
        Map<UUID, List<DealHistory.StageChange>> stages = new HashMap<>();
        Map<UUID, List<DealHistory.AmountChange>> amounts = new HashMap<>();
        Map<UUID, Instant> leadCreated = new HashMap<>();
        Map<UUID, List<TouchInput>> touches = new HashMap<>();
        boolean primaryOnly = "PRIMARY_CONTACT".equals(definition.scope());
        String contactFilter = primaryOnly ? " AND dc.is_primary" : "";
        String touchSql = """
                SELECT dc.deal_id, %1$s FROM deal_contact dc JOIN touchpoint t ON t.lead_id = dc.lead_id
                 WHERE dc.deal_id = ANY($1) AND t.recorded_at <= $2 %2$s
                UNION
                SELECT dc.deal_id, %1$s FROM deal_contact dc JOIN lead_fact lf ON lf.lead_id = dc.lead_id
                  JOIN touchpoint t ON t.person_email = lf.email AND t.lead_id IS NULL
                 WHERE dc.deal_id = ANY($1) AND t.recorded_at <= $2 %2$s""".formatted(TOUCH_COLUMNS, contactFilter);
        if ("ACCOUNT".equals(definition.scope())) {
            touchSql += """

                    UNION
                    SELECT d.id AS deal_id, %s FROM deal d JOIN touchpoint t ON t.account_domain = d.account_domain
                     WHERE d.id = ANY($1) AND t.recorded_at <= $2""".formatted(TOUCH_COLUMNS);
        }
        Tuple byIdsAsOf = Tuple.of(idArray, utc(asOf));
        String touchQuery = touchSql;
        return client.preparedQuery("SELECT deal_id, changed_at, stage FROM deal_stage_change WHERE deal_id = ANY($1)")
                .execute(byIds)
                .invoke(rows -> rows.forEach(r -> stages.computeIfAbsent(r.getUUID("deal_id"), k -> new ArrayList<>())
                        .add(new DealHistory.StageChange(instant(r, "changed_at"), r.getString("stage")))))
                .chain(() -> client.preparedQuery("""
                        SELECT deal_id, changed_at, amount_minor, currency FROM deal_amount_change
                         WHERE deal_id = ANY($1)""").execute(byIds))
                .invoke(rows -> rows.forEach(r -> amounts.computeIfAbsent(r.getUUID("deal_id"), k -> new ArrayList<>())
                        .add(new DealHistory.AmountChange(instant(r, "changed_at"), r.getLong("amount_minor"),
                                r.getString("currency")))))
                .chain(() -> client.preparedQuery("""
                        SELECT dc.deal_id, min(lf.created_at) AS lead_created FROM deal_contact dc
                          JOIN lead_fact lf ON lf.lead_id = dc.lead_id
                         WHERE dc.deal_id = ANY($1)""" + contactFilter + " GROUP BY dc.deal_id").execute(byIds))
                .invoke(rows -> rows.forEach(r -> {
                    if (r.getValue("lead_created") != null) {
                        leadCreated.put(r.getUUID("deal_id"), instant(r, "lead_created"));
                    }
                }))
                .chain(() -> client.preparedQuery(touchQuery).execute(byIdsAsOf))
                .invoke(rows -> rows.forEach(r -> touches.computeIfAbsent(r.getUUID("deal_id"), k -> new ArrayList<>())
                        .add(new TouchInput(r.getUUID("id").toString(), instant(r, "occurred_at"),
                                r.getString("channel"), r.getString("source"), r.getString("campaign"),
                                r.getString("touch_type"), r.getString("team")))))
                .chain(() -> client.preparedQuery("""
                        SELECT d.id, d.crm, d.crm_id, d.name, d.stage, d.owner, d.team, d.account_domain, d.created_at,
                               d.amount_minor, d.currency,
                               coalesce(d.source, (SELECT lf.source FROM deal_contact dc JOIN lead_fact lf
                                                      ON lf.lead_id = dc.lead_id
                                                   WHERE dc.deal_id = d.id ORDER BY dc.is_primary DESC,
                                                         lf.created_at NULLS LAST LIMIT 1)) AS source
                          FROM deal d WHERE d.id = ANY($1) AND NOT d.deleted ORDER BY d.id""").execute(byIds))
                .map(rows -> {
                    List<LoadedDeal> out = new ArrayList<>();
                    for (Row r : rows) {
                        UUID id = r.getUUID("id");
                        Instant created = instant(r, "created_at");
                        List<DealHistory.StageChange> st = stages.getOrDefault(id, new ArrayList<>());
                        if (st.isEmpty() && r.getString("stage") != null) {
                            st.add(new DealHistory.StageChange(created, r.getString("stage")));
                        }
                        List<DealHistory.AmountChange> am = amounts.getOrDefault(id, new ArrayList<>());
                        if (am.isEmpty()) {
                            am.add(new DealHistory.AmountChange(created, r.getLong("amount_minor"),
                                    r.getString("currency")));
                        }
                        DealHistory.Resolved resolved;
                        try {
                            resolved = DealHistory.resolve(id.toString(), created, leadCreated.get(id), st, am,
                                    definition.stageRules(), asOf);
                        } catch (IllegalArgumentException e) {
                            continue; // no amount known as of asOf: the deal did not exist in a usable form yet
                        }
                        out.add(new LoadedDeal(id, r.getString("crm"), r.getString("crm_id"), r.getString("name"),
                                resolved.currentStage(), r.getString("owner"), r.getString("team"),
                                r.getString("source"), r.getString("account_domain"), created, resolved.deal(),
                                resolved.reopened(), resolved.notes(), touches.getOrDefault(id, List.of())));
                    }
                    return out;
                });
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
