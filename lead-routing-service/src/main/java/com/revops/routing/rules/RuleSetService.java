package com.revops.routing.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;
import com.revops.routing.engine.RuleSet;
import com.revops.routing.rules.RuleSetVersion.Status;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The rule-set lifecycle: drafts are edited freely, validation checks the structure and every team and rep the
 * rules name against the routing model, only a validated version can be published, publishing retires the previous
 * one, and a rollback republishes an earlier version's definition as a new version so history is never rewritten.
 */
@ApplicationScoped
public class RuleSetService {

    /** A version as read back. */
    public record RuleSetView(int version, Status status, String description, JsonNode definition, String createdBy,
            Instant createdAt, Instant validatedAt, String publishedBy, Instant publishedAt, Instant retiredAt,
            Integer rolledBackFrom) {
    }

    private final ObjectMapper json;
    private final ConcurrentHashMap<Integer, RuleSet> parsed = new ConcurrentHashMap<>();

    public RuleSetService(ObjectMapper json) {
        this.json = json;
    }

    RuleSetView view(RuleSetVersion r) {
        try {
            return new RuleSetView(r.version, r.status, r.description, json.readTree(r.definition), r.createdBy,
                    r.createdAt, r.validatedAt, r.publishedBy, r.publishedAt, r.retiredAt, r.rolledBackFrom);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @WithTransaction
    public Uni<RuleSetView> createDraft(JsonNode definition, String description, String user) {
        requireObject(definition);
        return nextVersion().chain(version -> {
            RuleSetVersion r = new RuleSetVersion();
            r.id = UUID.randomUUID();
            r.version = version;
            r.status = Status.DRAFT;
            r.description = description;
            r.definition = definition.toString();
            r.createdBy = user;
            r.createdAt = Instant.now();
            return Panache.getSession().chain(s -> s.persist(r)).map(ignored -> view(r));
        });
    }

    @WithTransaction
    public Uni<RuleSetView> updateDraft(int version, JsonNode definition, String description) {
        requireObject(definition);
        return find(version, true).map(r -> {
            if (r.status != Status.DRAFT && r.status != Status.VALIDATED) {
                throw new ProblemException.Conflict("version " + version + " is " + r.status
                        + ": only drafts can change; create a new draft");
            }
            r.definition = definition.toString();
            r.description = description;
            r.status = Status.DRAFT;
            r.validatedAt = null;
            return view(r);
        });
    }

    @WithTransaction
    public Uni<RuleSetView> validate(int version) {
        return find(version, true).chain(r -> {
            if (r.status == Status.PUBLISHED || r.status == Status.RETIRED) {
                throw new ProblemException.Conflict("version " + version + " is " + r.status);
            }
            return check(r).map(parsedSet -> {
                r.status = Status.VALIDATED;
                r.validatedAt = Instant.now();
                return view(r);
            });
        });
    }

    @WithTransaction
    public Uni<RuleSetView> publish(int version, String user) {
        return find(version, true).chain(r -> {
            if (r.status != Status.VALIDATED) {
                throw new ProblemException.Unprocessable("version " + version + " is " + r.status
                        + ": only a validated rule set can be published",
                        List.of(new Problem.Violation("status", "validate it first")));
            }
            // the routing model may have changed since validation: check again
            return check(r).chain(ok -> retireCurrent(null)).chain(ignored -> Panache.getSession()
                    .chain(Mutiny.Session::flush)).map(ignored -> {
                        r.status = Status.PUBLISHED;
                        r.publishedAt = Instant.now();
                        r.publishedBy = user;
                        return view(r);
                    });
        });
    }

    /** Republishes the definition of {@code version} as a new version. */
    @WithTransaction
    public Uni<RuleSetView> rollbackTo(int version, String user) {
        return find(version, false).chain(old -> current().chain(cur -> nextVersion().chain(next -> {
            RuleSetVersion r = new RuleSetVersion();
            r.id = UUID.randomUUID();
            r.version = next;
            r.description = "rollback to version " + version;
            r.definition = old.definition;
            r.createdBy = user;
            r.createdAt = Instant.now();
            r.rolledBackFrom = cur == null ? null : cur.version;
            return check(r).chain(ok -> retireCurrent(null)).chain(ignored -> Panache.getSession()
                    .chain(Mutiny.Session::flush)).chain(ignored -> {
                        r.status = Status.PUBLISHED;
                        r.validatedAt = Instant.now();
                        r.publishedAt = r.validatedAt;
                        r.publishedBy = user;
                        return Panache.getSession().chain(s -> s.persist(r)).map(x -> view(r));
                    });
        })));
    }

    /** The published version's engine form, or null when nothing is published. Cached per version. */
    public Uni<RuleSet> published() {
        return current().map(r -> r == null ? null : parsed.computeIfAbsent(r.version, v -> parse(r)));
    }

    /**
     * The engine form of {@code version}, which the caller has just read as the published one (null: none is
     * published). A published version never changes, so its parsed form is cached by number and the definition is
     * only read the first time: a replica that reads the published version number each round sees a publish or a
     * rollback made on any replica at its next round.
     */
    public Uni<RuleSet> published(Integer version) {
        if (version == null) {
            return Uni.createFrom().nullItem();
        }
        RuleSet cached = parsed.get(version);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return find(version, false).map(r -> parsed.computeIfAbsent(r.version, v -> parse(r)));
    }

    private RuleSet parse(RuleSetVersion r) {
        try {
            RuleSetCodec.Parsed p = RuleSetCodec.parse(r.version, json.readTree(r.definition));
            if (!p.valid()) {
                throw new IllegalStateException("published rule set " + r.version + " does not parse: "
                        + p.violations());
            }
            return p.ruleSet();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a draft for a simulation, with the same checks as validation. */
    public Uni<RuleSet> parseForSimulation(int version) {
        return find(version, false).chain(this::check);
    }

    public Uni<RuleSetVersion> find(int version, boolean forUpdate) {
        return Panache.getSession().chain(s -> {
            var q = s.createSelectionQuery("from RuleSetVersion where version = :v", RuleSetVersion.class)
                    .setParameter("v", version);
            if (forUpdate) {
                q.setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            }
            return q.getSingleResultOrNull();
        }).map(r -> {
            if (r == null) {
                throw new ProblemException.NotFound("rule set version " + version + " does not exist");
            }
            return r;
        });
    }

    private Uni<RuleSetVersion> current() {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "from RuleSetVersion where status = :s", RuleSetVersion.class)
                .setParameter("s", Status.PUBLISHED).getSingleResultOrNull());
    }

    private Uni<Void> retireCurrent(Void ignored) {
        return current().map(cur -> {
            if (cur != null) {
                cur.status = Status.RETIRED;
                cur.retiredAt = Instant.now();
            }
            return null;
        });
    }

    /** Structure, then every named team (with at least one member) and rep; 422 with every reason. */
    private Uni<RuleSet> check(RuleSetVersion r) {
        JsonNode def;
        try {
            def = json.readTree(r.definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        RuleSetCodec.Parsed p = RuleSetCodec.parse(r.version, def);
        List<Problem.Violation> violations = new ArrayList<>(p.violations());
        Set<String> teams = p.references().teams();
        Set<String> reps = p.references().reps();
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "select t.name, count(m.id) from SalesTeam t left join TeamMembership m on m.teamId = t.id "
                        + "where t.name in :names group by t.name", Object[].class)
                .setParameter("names", teams.isEmpty() ? Set.of("") : teams).getResultList()
                .chain(teamRows -> s.createSelectionQuery(
                        "select username from SalesRep where username in :names and active = true", String.class)
                        .setParameter("names", reps.isEmpty() ? Set.of("") : reps).getResultList()
                        .map(repRows -> {
                            for (String t : teams) {
                                Object[] row = teamRows.stream().filter(x -> t.equals(x[0])).findFirst()
                                        .orElse(null);
                                if (row == null) {
                                    violations.add(new Problem.Violation("rules", "team '" + t
                                            + "' does not exist"));
                                } else if (((Number) row[1]).longValue() == 0) {
                                    violations.add(new Problem.Violation("rules", "team '" + t
                                            + "' has no members"));
                                }
                            }
                            for (String rep : reps) {
                                if (!repRows.contains(rep)) {
                                    violations.add(new Problem.Violation("rules", "rep '" + rep
                                            + "' does not exist or is inactive"));
                                }
                            }
                            if (!violations.isEmpty()) {
                                throw new ProblemException.Unprocessable("rule set version " + r.version
                                        + " is not valid", violations);
                            }
                            return p.ruleSet();
                        })));
    }

    private Uni<Integer> nextVersion() {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "select coalesce(max(version), 0) from RuleSetVersion", Integer.class).getSingleResult())
                .map(max -> max + 1);
    }

    private static void requireObject(JsonNode definition) {
        if (definition == null || !definition.isObject()) {
            throw new ProblemException.BadRequest("the body must be a rule set definition (a JSON object)");
        }
    }
}
