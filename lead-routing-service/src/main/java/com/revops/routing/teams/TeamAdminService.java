package com.revops.routing.teams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;
import com.revops.routing.engine.WorkingHours;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Teams, reps, memberships, absences and accounts: the routing model RevOps admins maintain. */
@ApplicationScoped
public class TeamAdminService {

    /** A rep as written by an admin. */
    public record RepRequest(String displayName, String email, String hubspotOwnerId, String salesforceOwnerId,
            String timeZone, Map<String, List<List<String>>> workingHours, List<String> skills, Integer capacity,
            Boolean active) {
    }

    /** A rep as read back. */
    public record RepView(String username, String displayName, String email, String hubspotOwnerId,
            String salesforceOwnerId, String timeZone, Map<String, List<List<String>>> workingHours,
            List<String> skills, Integer capacity, boolean active) {
        static RepView of(SalesRep r) {
            return new RepView(r.username, r.displayName, r.email, r.hubspotOwnerId, r.salesforceOwnerId, r.timeZone,
                    HoursCodec.readWeek(r.workingHours), TeamAdminService.skills(r.skills), r.capacity, r.active);
        }
    }

    public record TeamRequest(String name, String keycloakGroup, String managerUsername) {
    }

    public record MemberView(String username, int weight, long assignedCount, Instant lastAssignedAt) {
    }

    public record TeamView(UUID id, String name, String keycloakGroup, String managerUsername,
            List<MemberView> members) {
    }

    public record AbsenceRequest(Instant startsAt, Instant endsAt, String reason) {
    }

    public record AbsenceView(UUID id, String username, Instant startsAt, Instant endsAt, String reason) {
        static AbsenceView of(RepAbsence a) {
            return new AbsenceView(a.id, a.username, a.startsAt, a.endsAt, a.reason);
        }
    }

    public record AccountRequest(String name, String ownerUsername) {
    }

    public record AccountView(String domain, String name, String ownerUsername) {
        static AccountView of(Account a) {
            return new AccountView(a.domain, a.name, a.ownerUsername);
        }
    }

    static List<String> skills(String stored) {
        return stored == null || stored.isBlank() ? List.of() : Arrays.asList(stored.split(","));
    }

    @WithTransaction
    public Uni<RepView> upsertRep(String username, RepRequest req) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,100}")) {
            violations.add(new Problem.Violation("username", "1-100 letters, digits, . _ @ -"));
        }
        WorkingHours hours = HoursCodec.parse(req.timeZone(), req.workingHours(), violations);
        if (req.capacity() != null && req.capacity() < 0) {
            violations.add(new Problem.Violation("capacity", "must be 0 or more"));
        }
        List<String> skills = req.skills() == null ? List.of() : req.skills().stream()
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        if (skills.stream().anyMatch(s -> s.contains(","))) {
            violations.add(new Problem.Violation("skills", "a skill cannot contain a comma"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException.Unprocessable("the rep is not valid", violations);
        }
        return SalesRepQueries.find(username).chain(existing -> {
            SalesRep rep = existing != null ? existing : new SalesRep();
            Instant now = Instant.now();
            if (existing == null) {
                rep.username = username;
                rep.createdAt = now;
            }
            rep.displayName = req.displayName();
            rep.email = req.email();
            rep.hubspotOwnerId = blankToNull(req.hubspotOwnerId());
            rep.salesforceOwnerId = blankToNull(req.salesforceOwnerId());
            rep.timeZone = hours.zone().getId();
            rep.workingHours = HoursCodec.write(hours);
            rep.skills = String.join(",", skills);
            rep.capacity = req.capacity();
            rep.active = req.active() == null || req.active();
            rep.updatedAt = now;
            return (existing == null ? Panache.getSession().chain(s -> s.persist(rep)) : Uni.createFrom().voidItem())
                    .chain(() -> Panache.getSession().chain(s -> s.flush()))
                    .onFailure(ProblemMapperHelpers::isUniqueViolation).transform(e -> new ProblemException.Conflict(
                            "another rep already has that HubSpot or Salesforce owner id"))
                    .map(ignored -> RepView.of(rep));
        });
    }

    @WithTransaction
    public Uni<TeamView> createTeam(TeamRequest req) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (req.name() == null || req.name().isBlank() || req.name().length() > 100) {
            violations.add(new Problem.Violation("name", "required, at most 100 characters"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException.Unprocessable("the team is not valid", violations);
        }
        return Panache.getSession().chain(s -> s.createSelectionQuery("from SalesTeam where name = :n",
                SalesTeam.class).setParameter("n", req.name().trim()).getSingleResultOrNull())
                .chain(existing -> {
                    if (existing != null) {
                        throw new ProblemException.Conflict("team " + req.name() + " already exists");
                    }
                    SalesTeam t = new SalesTeam();
                    t.id = UUID.randomUUID();
                    t.name = req.name().trim();
                    t.keycloakGroup = req.keycloakGroup() == null || req.keycloakGroup().isBlank() ? t.name
                            : req.keycloakGroup().trim();
                    t.managerUsername = blankToNull(req.managerUsername());
                    t.createdAt = Instant.now();
                    t.updatedAt = t.createdAt;
                    return Panache.getSession().chain(s -> s.persist(t)).map(ignored -> new TeamView(t.id, t.name,
                            t.keycloakGroup, t.managerUsername, List.of()));
                });
    }

    @WithTransaction
    public Uni<MemberView> putMember(UUID teamId, String username, int weight) {
        if (weight <= 0 || weight > 1000) {
            throw new ProblemException.Unprocessable("the membership is not valid",
                    List.of(new Problem.Violation("weight", "between 1 and 1000")));
        }
        return Panache.getSession().chain(s -> s.find(SalesTeam.class, teamId).chain(team -> {
            if (team == null) {
                throw new ProblemException.NotFound("team " + teamId + " does not exist");
            }
            return s.find(SalesRep.class, username);
        }).chain(rep -> {
            if (rep == null) {
                throw new ProblemException.Unprocessable("unknown rep",
                        List.of(new Problem.Violation("username", "rep " + username + " does not exist")));
            }
            return s.createSelectionQuery("from TeamMembership where teamId = :t and username = :u",
                    TeamMembership.class).setParameter("t", teamId).setParameter("u", username)
                    .getSingleResultOrNull();
        }).chain(existing -> {
            if (existing != null) {
                existing.weight = weight;
                return Uni.createFrom().item(existing);
            }
            TeamMembership m = new TeamMembership();
            m.id = UUID.randomUUID();
            m.teamId = teamId;
            m.username = username;
            m.weight = weight;
            // a newcomer joins the rotation now, not at the beginning of time (see Router)
            return s.find(SalesTeam.class, teamId).chain(team -> {
                m.rrPass = team.rrVirtualTime;
                return s.persist(m).replaceWith(m);
            });
        })).map(m -> new MemberView(m.username, m.weight, m.assignedCount, m.lastAssignedAt));
    }

    @WithTransaction
    public Uni<Boolean> removeMember(UUID teamId, String username) {
        return Panache.getSession().chain(s -> s.createMutationQuery(
                "delete from TeamMembership where teamId = :t and username = :u")
                .setParameter("t", teamId).setParameter("u", username).executeUpdate()).map(n -> n > 0);
    }

    @WithTransaction
    public Uni<AbsenceView> addAbsence(String username, AbsenceRequest req) {
        if (req.startsAt() == null || req.endsAt() == null || !req.endsAt().isAfter(req.startsAt())) {
            throw new ProblemException.Unprocessable("the absence is not valid",
                    List.of(new Problem.Violation("endsAt", "startsAt and endsAt required, endsAt after startsAt")));
        }
        return Panache.getSession().chain(s -> s.find(SalesRep.class, username).chain(rep -> {
            if (rep == null) {
                throw new ProblemException.NotFound("rep " + username + " does not exist");
            }
            RepAbsence a = new RepAbsence();
            a.id = UUID.randomUUID();
            a.username = username;
            a.startsAt = req.startsAt();
            a.endsAt = req.endsAt();
            a.reason = req.reason();
            return s.persist(a).map(ignored -> AbsenceView.of(a));
        }));
    }

    @WithTransaction
    public Uni<Boolean> removeAbsence(String username, UUID id) {
        return Panache.getSession().chain(s -> s.createMutationQuery(
                "delete from RepAbsence where id = :id and username = :u")
                .setParameter("id", id).setParameter("u", username).executeUpdate()).map(n -> n > 0);
    }

    @WithTransaction
    public Uni<AccountView> putAccount(String domain, AccountRequest req) {
        String d = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
        if (!d.matches("[a-z0-9.-]+\\.[a-z]{2,}")) {
            throw new ProblemException.Unprocessable("the account is not valid",
                    List.of(new Problem.Violation("domain", "not a domain name")));
        }
        if (com.revops.routing.engine.FreeMailDomains.isFreeMail(d)) {
            throw new ProblemException.Unprocessable("the account is not valid",
                    List.of(new Problem.Violation("domain", d + " is a free-mail domain; it never matches")));
        }
        return Panache.getSession().chain(s -> s.find(SalesRep.class, req.ownerUsername() == null ? ""
                : req.ownerUsername()).chain(rep -> {
                    if (rep == null) {
                        throw new ProblemException.Unprocessable("the account is not valid",
                                List.of(new Problem.Violation("ownerUsername", "no such rep")));
                    }
                    return s.find(Account.class, d);
                }).chain(existing -> {
                    Account a = existing != null ? existing : new Account();
                    a.domain = d;
                    a.name = req.name();
                    a.ownerUsername = req.ownerUsername();
                    a.updatedAt = Instant.now();
                    return (existing == null ? s.persist(a) : Uni.createFrom().voidItem())
                            .map(ignored -> AccountView.of(a));
                }));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
