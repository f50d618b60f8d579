package com.revops.routing.assignment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.reactive.mutiny.Mutiny;

import com.revops.routing.engine.Action;
import com.revops.routing.engine.FreeMailDomains;
import com.revops.routing.engine.LeadFacts;
import com.revops.routing.engine.Rep;
import com.revops.routing.engine.RuleSet;
import com.revops.routing.engine.SimulatedWorld;
import com.revops.routing.engine.Team;
import com.revops.routing.leads.Lead;
import com.revops.routing.teams.Account;
import com.revops.routing.teams.HoursCodec;
import com.revops.routing.teams.RepAbsence;
import com.revops.routing.teams.SalesRep;
import com.revops.routing.teams.SalesTeam;
import com.revops.routing.teams.TeamMembership;

import io.smallrye.mutiny.Uni;

/**
 * Reads from the database the part of the routing model a decision needs. For a live decision the teams the rule
 * set names are locked ({@code FOR UPDATE}, in name order, so concurrent decisions queue instead of deadlocking):
 * two replicas deciding at once can never both see the same round-robin pass or the same free capacity.
 */
@ApplicationScoped
public class WorldLoader {

    /** The loaded world and the team entities (to write the round-robin advance back). */
    public record Loaded(SimulatedWorld world, Map<String, SalesTeam> teams, Map<String, TeamMembership> members) {
    }

    public Uni<Loaded> load(Mutiny.Session s, RuleSet rules, LeadFacts lead, boolean lock, Instant now) {
        return load(s, rules, lead == null ? List.of() : List.of(lead), lock, now);
    }

    /**
     * One world for several leads decided one after the other in the same transaction (a batch of new leads): the
     * account owners of all their domains and the open duplicates of all their emails are read at once, and the
     * caller {@link SimulatedWorld#apply applies} each decision to the world before the next one.
     */
    public Uni<Loaded> load(Mutiny.Session s, RuleSet rules, List<LeadFacts> leads, boolean lock, Instant now) {
        Set<String> teamNames = new TreeSet<>();
        Set<String> named = new HashSet<>();
        for (var rule : rules.rules()) {
            if (rule.then() instanceof Action.AssignTeam t) {
                teamNames.add(t.team());
            } else if (rule.then() instanceof Action.AssignRep r) {
                named.add(r.username());
            }
        }
        var teamQuery = s.createSelectionQuery("from SalesTeam where name in :names order by name", SalesTeam.class)
                .setParameter("names", teamNames.isEmpty() ? Set.of("") : teamNames);
        if (lock) {
            teamQuery.setLockMode(LockModeType.PESSIMISTIC_WRITE);
        }
        Set<String> domains = new HashSet<>();
        for (LeadFacts lead : leads) {
            String domain = lead.emailDomain();
            if (domain != null && !FreeMailDomains.isFreeMail(domain)) {
                domains.add(domain);
            }
        }
        return teamQuery.getResultList().chain(teams -> {
            Map<String, SalesTeam> byName = new HashMap<>();
            teams.forEach(t -> byName.put(t.name, t));
            List<UUID> ids = teams.stream().map(t -> t.id).toList();
            return s.createSelectionQuery("from TeamMembership where teamId in :ids", TeamMembership.class)
                    .setParameter("ids", ids.isEmpty() ? List.of(UUID.randomUUID()) : ids)
                    .getResultList()
                    .chain(members -> accounts(s, domains).chain(accounts -> duplicates(s, leads).chain(dups -> {
                        Set<String> usernames = new HashSet<>(named);
                        members.forEach(m -> usernames.add(m.username));
                        accounts.forEach(a -> usernames.add(a.ownerUsername));
                        dups.forEach(d -> {
                            if (d.ownerUsername != null) {
                                usernames.add(d.ownerUsername);
                            }
                        });
                        return reps(s, usernames, now).map(reps -> {
                            SimulatedWorld world = new SimulatedWorld();
                            reps.forEach(world::rep);
                            Map<String, TeamMembership> memberRows = new HashMap<>();
                            for (SalesTeam t : teams) {
                                List<Team.Member> tm = new ArrayList<>();
                                for (TeamMembership m : members) {
                                    if (m.teamId.equals(t.id)) {
                                        tm.add(new Team.Member(m.username, m.weight, m.rrPass));
                                        memberRows.put(t.name + "/" + m.username, m);
                                    }
                                }
                                tm.sort(java.util.Comparator.comparing(Team.Member::username));
                                world.team(new Team(t.id.toString(), t.name, t.rrVirtualTime, tm));
                            }
                            accounts.forEach(a -> world.account(a.domain, a.ownerUsername));
                            // newest first: the most recent open lead of an email is the one a duplicate follows
                            for (int i = dups.size() - 1; i >= 0; i--) {
                                Lead dup = dups.get(i);
                                world.openLead(dup.email, dup.id, dup.ownerUsername);
                            }
                            return new Loaded(world, byName, memberRows);
                        });
                    })));
        });
    }

    /** Reps with their absences (current and future) and open untouched leads. */
    public Uni<List<Rep>> reps(Mutiny.Session s, Collection<String> usernames, Instant now) {
        if (usernames.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return s.createSelectionQuery("from SalesRep where username in :u", SalesRep.class)
                .setParameter("u", usernames).getResultList()
                .chain(reps -> s.createSelectionQuery("from RepAbsence where username in :u and endsAt > :now",
                        RepAbsence.class).setParameter("u", usernames).setParameter("now", now).getResultList()
                        .chain(absences -> s.createSelectionQuery(
                                "select ownerUsername, count(*) from Lead where status = 'ASSIGNED' "
                                        + "and ownerUsername in :u group by ownerUsername", Object[].class)
                                .setParameter("u", usernames).getResultList()
                                .map(counts -> {
                                    Map<String, Integer> open = new HashMap<>();
                                    counts.forEach(r -> open.put((String) r[0], ((Number) r[1]).intValue()));
                                    return reps.stream().map(r -> new Rep(r.username, r.active,
                                            HoursCodec.fromStored(r.timeZone, r.workingHours),
                                            absences.stream().filter(a -> a.username.equals(r.username))
                                                    .map(a -> new Rep.Absence(a.startsAt, a.endsAt)).toList(),
                                            new HashSet<>(r.skills.isBlank() ? List.of()
                                                    : List.of(r.skills.split(","))),
                                            r.capacity, open.getOrDefault(r.username, 0))).toList();
                                })));
    }

    private static Uni<List<Account>> accounts(Mutiny.Session s, Set<String> domains) {
        if (domains.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return s.createSelectionQuery("from Account where domain in :d", Account.class).setParameter("d", domains)
                .getResultList();
    }

    /** Open (assigned or touched) leads with the same email as one of {@code leads}, newest assignment first. */
    private static Uni<List<Lead>> duplicates(Mutiny.Session s, List<LeadFacts> leads) {
        Set<String> emails = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        for (LeadFacts lead : leads) {
            if (lead.email() != null) {
                emails.add(lead.email().toLowerCase(java.util.Locale.ROOT));
                ids.add(lead.leadId());
            }
        }
        if (emails.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return s.createSelectionQuery("from Lead where email in :e and id not in :ids "
                + "and status in ('ASSIGNED', 'TOUCHED') order by assignedAt desc", Lead.class)
                .setParameter("e", emails).setParameter("ids", ids).getResultList();
    }
}
