package com.revops.feedback.notify;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Escalation contacts (the manager of a team), managed by RevOps admins. */
@ApplicationScoped
public class EscalationContactService {

    static final Set<String> CRMS = Set.of("hubspot", "salesforce");

    private final EscalationContactRepository contacts;

    public EscalationContactService(EscalationContactRepository contacts) {
        this.contacts = contacts;
    }

    /** A contact as written by an admin; {@code crmOwnerIds} keyed by CRM (hubspot, salesforce). */
    public record ContactRequest(String teamName, String managerName, String managerEmail,
            Map<String, String> crmOwnerIds, String webhookUrl) {
    }

    /** The problems of a request, empty when it is valid. Plain Java. */
    static List<Problem.Violation> violations(ContactRequest r, boolean teamFromPath) {
        List<Problem.Violation> v = new ArrayList<>();
        if (!teamFromPath && (r.teamName() == null || r.teamName().isBlank())) {
            v.add(new Problem.Violation("teamName", "must not be blank"));
        } else if (r.teamName() != null && r.teamName().length() > 200) {
            v.add(new Problem.Violation("teamName", "at most 200 characters"));
        }
        if (r.managerName() == null || r.managerName().isBlank()) {
            v.add(new Problem.Violation("managerName", "must not be blank"));
        } else if (r.managerName().length() > 200) {
            v.add(new Problem.Violation("managerName", "at most 200 characters"));
        }
        if (r.managerEmail() != null && !r.managerEmail().isBlank()
                && !r.managerEmail().matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
            v.add(new Problem.Violation("managerEmail", "is not an e-mail address"));
        }
        if (r.crmOwnerIds() != null) {
            r.crmOwnerIds().forEach((crm, id) -> {
                if (!CRMS.contains(crm)) {
                    v.add(new Problem.Violation("crmOwnerIds." + crm, "CRM must be hubspot or salesforce"));
                } else if (id != null && (id.isBlank() || id.length() > 64)) {
                    v.add(new Problem.Violation("crmOwnerIds." + crm, "must be 1 to 64 characters"));
                }
            });
        }
        if (r.webhookUrl() != null && !r.webhookUrl().isBlank() && !validUrl(r.webhookUrl())) {
            v.add(new Problem.Violation("webhookUrl", "must be an absolute http(s) URL"));
        }
        return v;
    }

    static boolean validUrl(String url) {
        try {
            URI u = URI.create(url.trim());
            return ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null && !u.getHost().isBlank();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @WithSession
    public Uni<List<EscalationContact>> list() {
        return contacts.listAll(io.quarkus.panache.common.Sort.by("teamName"));
    }

    @WithSession
    public Uni<EscalationContact> get(String team) {
        return contacts.findById(team).map(c -> {
            if (c == null) {
                throw new ProblemException.NotFound("no escalation contact for team " + team);
            }
            return c;
        });
    }

    @WithTransaction
    public Uni<EscalationContact> create(ContactRequest r, String by) {
        if (r == null) {
            return Uni.createFrom().failure(new ProblemException.BadRequest("a body is required"));
        }
        List<Problem.Violation> v = violations(r, false);
        if (!v.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the contact is not valid", v));
        }
        String team = r.teamName().trim();
        return contacts.findById(team).chain(existing -> {
            if (existing != null) {
                throw new ProblemException.Conflict("team " + team + " has an escalation contact; change it with PUT");
            }
            EscalationContact c = new EscalationContact();
            c.teamName = team;
            c.createdAt = Instant.now();
            apply(c, r, by);
            return contacts.persist(c);
        });
    }

    @WithTransaction
    public Uni<EscalationContact> replace(String team, ContactRequest r, String by) {
        if (r == null) {
            return Uni.createFrom().failure(new ProblemException.BadRequest("a body is required"));
        }
        List<Problem.Violation> v = violations(r, true);
        if (r.teamName() != null && !r.teamName().isBlank() && !r.teamName().trim().equals(team)) {
            v.add(new Problem.Violation("teamName", "must match the path (a team cannot be renamed here)"));
        }
        if (!v.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the contact is not valid", v));
        }
        return contacts.findById(team).map(c -> {
            if (c == null) {
                throw new ProblemException.NotFound("no escalation contact for team " + team);
            }
            apply(c, r, by);
            return c;
        });
    }

    @WithTransaction
    public Uni<Void> delete(String team) {
        return contacts.deleteById(team).map(deleted -> {
            if (!deleted) {
                throw new ProblemException.NotFound("no escalation contact for team " + team);
            }
            return null;
        });
    }

    private static void apply(EscalationContact c, ContactRequest r, String by) {
        c.managerName = r.managerName().trim();
        c.managerEmail = blankToNull(r.managerEmail());
        Map<String, String> ids = r.crmOwnerIds() == null ? Map.of() : r.crmOwnerIds();
        c.hubspotOwnerId = blankToNull(ids.get("hubspot"));
        c.salesforceOwnerId = blankToNull(ids.get("salesforce"));
        c.webhookUrl = blankToNull(r.webhookUrl());
        c.updatedBy = by;
        c.updatedAt = Instant.now();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
