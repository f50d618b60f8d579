package com.revops.feedback.taxonomy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Reads and governs the reason taxonomy; every change is a new version with a snapshot. */
@ApplicationScoped
public class TaxonomyService {

    public static final Set<String> CATEGORIES = Set.of("fit", "timing", "contactability", "data-quality",
            "competition", "duplicate", "spam", "other");
    public static final Set<String> CRMS = Set.of("hubspot", "salesforce");

    private final TaxonomyRepository repository;
    private final ObjectMapper mapper;

    public TaxonomyService(TaxonomyRepository repository, ObjectMapper mapper) {
        this.repository = repository;
        this.mapper = mapper;
    }

    /** A reason code as the API shows it. */
    public record CodeView(String code, String label, String category, boolean noteRequired, boolean recyclable,
            Integer recycleAfterDays, boolean active, int version) {
        static CodeView of(ReasonCode c) {
            return new CodeView(c.code, c.label, c.category, c.noteRequired, c.recyclable, c.recycleAfterDays,
                    c.active, c.version);
        }
    }

    /** A CRM value mapping as the API shows it. */
    public record MappingView(UUID id, String crm, String crmValue, String code, int version) {
        static MappingView of(ReasonMapping m) {
            return new MappingView(m.id, m.crm, m.crmValue, m.code, m.version);
        }
    }

    /** The whole taxonomy at its current version. */
    public record TaxonomyView(int version, List<CodeView> codes, List<MappingView> mappings) {
    }

    /** A code to create or the new state of one. */
    public record CodeRequest(String code, String label, String category, Boolean noteRequired, Boolean recyclable,
            Integer recycleAfterDays, Boolean active) {
    }

    public record MappingRequest(String crm, String crmValue, String code) {
    }

    @WithSession
    public Uni<TaxonomyView> current() {
        return repository.versions().chain(versions -> repository.allCodes()
                .chain(codes -> repository.allMappings().map(mappings -> new TaxonomyView(
                        versions.isEmpty() ? 0 : versions.get(0).version,
                        codes.stream().map(CodeView::of).toList(),
                        mappings.stream().map(MappingView::of).toList()))));
    }

    @WithTransaction
    public Uni<CodeView> createCode(CodeRequest request, String actor) {
        List<Problem.Violation> violations = validate(request, true);
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the reason code is not valid",
                    violations));
        }
        return repository.findById(request.code()).chain(existing -> {
            if (existing != null) {
                throw new ProblemException.Conflict("reason code " + request.code() + " already exists");
            }
            return openVersion(actor, "created code " + request.code()).chain(v -> {
                ReasonCode c = new ReasonCode();
                c.code = request.code();
                apply(c, request, v.version);
                return repository.persist(c)
                        .chain(() -> snapshot(v))
                        .replaceWith(() -> CodeView.of(c));
            });
        });
    }

    @WithTransaction
    public Uni<CodeView> updateCode(String code, CodeRequest request, String actor) {
        List<Problem.Violation> violations = validate(request, false);
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the reason code is not valid",
                    violations));
        }
        return repository.findById(code).chain(c -> {
            if (c == null) {
                throw new ProblemException.NotFound("reason code " + code + " does not exist");
            }
            return openVersion(actor, "changed code " + c.code).chain(v -> {
                apply(c, request, v.version);
                return snapshot(v).replaceWith(() -> CodeView.of(c));
            });
        });
    }

    @WithTransaction
    public Uni<MappingView> addMapping(MappingRequest request, String actor) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (request.crm() == null || !CRMS.contains(request.crm())) {
            violations.add(new Problem.Violation("crm", "must be one of " + CRMS));
        }
        if (request.crmValue() == null || request.crmValue().isBlank()) {
            violations.add(new Problem.Violation("crmValue", "must not be blank"));
        }
        if (request.code() == null || request.code().isBlank()) {
            violations.add(new Problem.Violation("code", "must not be blank"));
        }
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the mapping is not valid",
                    violations));
        }
        return repository.findById(request.code()).chain(code -> {
            if (code == null) {
                throw new ProblemException.Unprocessable("unknown reason code",
                        List.of(new Problem.Violation("code", "unknown reason code " + request.code())));
            }
            return repository.mappingFor(request.crm(), request.crmValue());
        }).chain(existing -> {
            if (existing != null) {
                throw new ProblemException.Conflict(request.crm() + " value '" + request.crmValue()
                        + "' is already mapped to " + existing.code);
            }
            return openVersion(actor, "mapped " + request.crm() + " '" + request.crmValue().trim() + "' to "
                    + request.code());
        }).chain(v -> {
            ReasonMapping m = new ReasonMapping();
            m.id = UUID.randomUUID();
            m.crm = request.crm();
            m.crmValue = request.crmValue().trim();
            m.code = request.code();
            m.version = v.version;
            return repository.persistMapping(m)
                    .chain(() -> snapshot(v))
                    .replaceWith(() -> MappingView.of(m));
        });
    }

    @WithTransaction
    public Uni<Void> deleteMapping(UUID id, String actor) {
        return repository.findMapping(id).chain(m -> {
            if (m == null) {
                throw new ProblemException.NotFound("mapping " + id + " does not exist");
            }
            String what = "unmapped " + m.crm + " '" + m.crmValue + "' from " + m.code;
            return repository.deleteMapping(id).chain(() -> openVersion(actor, what)).chain(this::snapshot);
        });
    }

    @WithSession
    public Uni<List<TaxonomyVersion>> versions() {
        return repository.versions();
    }

    @WithSession
    public Uni<TaxonomyVersion> version(int version) {
        return repository.findVersion(version).map(v -> {
            if (v == null) {
                throw new ProblemException.NotFound("taxonomy version " + version + " does not exist");
            }
            return v;
        });
    }

    /** The next version row, written first: codes and mappings refer to the version that changed them. */
    private Uni<TaxonomyVersion> openVersion(String actor, String change) {
        return repository.nextVersion().chain(version -> {
            TaxonomyVersion v = new TaxonomyVersion();
            v.version = version;
            v.changedAt = Instant.now();
            v.changedBy = actor;
            v.change = change;
            return repository.persistVersion(v).chain(() -> repository.getSession().chain(s -> s.flush()))
                    .replaceWith(v);
        });
    }

    /** Stores the whole taxonomy as it is after the change in the version row. */
    private Uni<Void> snapshot(TaxonomyVersion v) {
        return repository.getSession().chain(s -> s.flush())
                .chain(() -> repository.allCodes())
                .chain(codes -> repository.allMappings().map(mappings -> {
                    Map<String, Object> snapshot = new LinkedHashMap<>();
                    snapshot.put("codes", codes.stream().map(CodeView::of).toList());
                    snapshot.put("mappings", mappings.stream().map(MappingView::of).toList());
                    try {
                        v.snapshot = mapper.writeValueAsString(snapshot);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                }))
                .replaceWithVoid();
    }

    private static void apply(ReasonCode c, CodeRequest r, int version) {
        if (r.label() != null) {
            c.label = r.label().trim();
        }
        if (r.category() != null) {
            c.category = r.category();
        }
        if (r.noteRequired() != null) {
            c.noteRequired = r.noteRequired();
        }
        if (r.recyclable() != null) {
            c.recyclable = r.recyclable();
        }
        if (r.recycleAfterDays() != null || Boolean.FALSE.equals(r.recyclable())) {
            c.recycleAfterDays = r.recycleAfterDays();
        }
        c.active = r.active() == null ? (c.version == 0 || c.active) : r.active();
        c.version = version;
        c.updatedAt = Instant.now();
    }

    private static List<Problem.Violation> validate(CodeRequest r, boolean creating) {
        List<Problem.Violation> v = new ArrayList<>();
        if (r == null) {
            v.add(new Problem.Violation("body", "is required"));
            return v;
        }
        if (creating) {
            if (r.code() == null || !r.code().matches("^[A-Z][A-Z0-9_]{1,63}$")) {
                v.add(new Problem.Violation("code", "must be upper case letters, digits and _ (2-64 characters)"));
            }
            if (r.label() == null || r.label().isBlank()) {
                v.add(new Problem.Violation("label", "must not be blank"));
            }
            if (r.category() == null) {
                v.add(new Problem.Violation("category", "must be one of " + CATEGORIES));
            }
        } else if (r.label() != null && r.label().isBlank()) {
            v.add(new Problem.Violation("label", "must not be blank"));
        }
        if (r.category() != null && !CATEGORIES.contains(r.category())) {
            v.add(new Problem.Violation("category", "must be one of " + CATEGORIES));
        }
        if (Boolean.TRUE.equals(r.recyclable()) && (r.recycleAfterDays() == null || r.recycleAfterDays() <= 0)) {
            v.add(new Problem.Violation("recycleAfterDays", "a recyclable reason needs a positive number of days"));
        }
        if (r.recycleAfterDays() != null && r.recycleAfterDays() <= 0) {
            v.add(new Problem.Violation("recycleAfterDays", "must be positive"));
        }
        return v;
    }
}
