package com.revops.routing.assignment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.revops.routing.engine.Action;
import com.revops.routing.engine.FreeMailDomains;
import com.revops.routing.engine.LeadFacts;
import com.revops.routing.engine.Rep;
import com.revops.routing.engine.RuleSet;
import com.revops.routing.engine.SimulatedWorld;
import com.revops.routing.engine.Team;
import com.revops.routing.teams.HoursCodec;
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

    /**
     * The loaded world, the team entities (to write the round-robin advance back) and the reps' rows as read (owner
     * ids, time zone and hours for the commands and the SLA clock; not managed by the session, never written).
     */
    public record Loaded(SimulatedWorld world, Map<String, SalesTeam> teams, Map<String, TeamMembership> members,
            Map<String, SalesRep> reps) {
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
        // native, with the names as one array: a list-valued parameter would have the ORM translate the query anew
        // every round
        var teamQuery = s.createNativeQuery("SELECT * FROM team WHERE name = any(cast(cast(:names as text) as text[])) "
                + "ORDER BY name" + (lock ? " FOR NO KEY UPDATE" : ""), SalesTeam.class)
                .setParameter("names", RoundRows.pgArray(List.copyOf(teamNames)));
        Set<String> domains = new HashSet<>();
        for (LeadFacts lead : leads) {
            String domain = lead.emailDomain();
            if (domain != null && !FreeMailDomains.isFreeMail(domain)) {
                domains.add(domain);
            }
        }
        Set<String> emails = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        for (LeadFacts lead : leads) {
            if (lead.email() != null) {
                emails.add(lead.email().toLowerCase(java.util.Locale.ROOT));
                ids.add(lead.leadId());
            }
        }
        return teamQuery.getResultList().chain(teams -> {
            Map<String, SalesTeam> byName = new HashMap<>();
            teams.forEach(t -> byName.put(t.name, t));
            List<UUID> teamIds = teams.stream().map(t -> t.id).toList();
            return s.createNativeQuery("SELECT * FROM team_member WHERE team_id = any(cast(cast(:ids as text) as uuid[]))",
                            TeamMembership.class)
                    .setParameter("ids", RoundRows.pgArray(teamIds.stream().map(UUID::toString).toList()))
                    .getResultList()
                    .chain(members -> {
                        Set<String> usernames = new HashSet<>(named);
                        members.forEach(m -> usernames.add(m.username));
                        return people(s, usernames, domains, emails, ids, now).map(people -> {
                            SimulatedWorld world = new SimulatedWorld();
                            people.reps().forEach(world::rep);
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
                            people.accounts().forEach(a -> world.account(a[0], a[1]));
                            // newest first: the most recent open lead of an email is the one a duplicate follows
                            List<String[]> dups = people.duplicates();
                            for (int i = dups.size() - 1; i >= 0; i--) {
                                String[] dup = dups.get(i);
                                world.openLead(dup[1], UUID.fromString(dup[0]), dup[2]);
                            }
                            return new Loaded(world, byName, memberRows, people.repRows());
                        });
                    });
        });
    }

    /**
     * Everything about people a round needs, in one statement: the owners of the leads' company domains, the open
     * leads with the same emails (newest assignment first), and the reps (those named by the rule set, the teams'
     * members, those owners) with their current and future absences and their open untouched leads (kept per rep by
     * a trigger, see V5__rep_open_leads.sql). These used to be
     * five ORM queries one after the other, each a round trip on the round's path and each translated again (a
     * list-valued parameter keeps the ORM from caching a query's SQL).
     */
    private static final String PEOPLE = """
            WITH acc AS (
              SELECT domain, owner_username FROM account WHERE domain = any(cast(cast(:domains as text) as text[]))
            ), dup AS (
              SELECT id, email, owner_username, assigned_at FROM lead
               WHERE email = any(cast(cast(:emails as text) as text[]))
                 AND id <> all(cast(cast(:ids as text) as uuid[])) AND status IN ('ASSIGNED', 'TOUCHED')
            ), u AS (
              SELECT unnest(cast(cast(:usernames as text) as text[])) AS username
              UNION SELECT owner_username FROM acc
              UNION SELECT owner_username FROM dup WHERE owner_username IS NOT NULL
            )
            SELECT cast(json_build_object(
              'accounts', (SELECT coalesce(json_agg(json_build_array(domain, owner_username)), '[]') FROM acc),
              'duplicates', (SELECT coalesce(json_agg(json_build_array(id, email, owner_username)
                                                      ORDER BY assigned_at DESC), '[]') FROM dup),
              'reps', (SELECT coalesce(json_agg(json_build_object(
                  'username', r.username, 'active', r.active, 'timeZone', r.time_zone,
                  'workingHours', r.working_hours::text, 'skills', r.skills, 'capacity', r.capacity,
                  'hubspotOwnerId', r.hubspot_owner_id, 'salesforceOwnerId', r.salesforce_owner_id,
                  'open', coalesce((SELECT o.open_count FROM rep_open_leads o WHERE o.username = r.username), 0),
                  'absences', (SELECT coalesce(json_agg(json_build_array(a.starts_at, a.ends_at)), '[]')
                                 FROM rep_absence a WHERE a.username = r.username AND a.ends_at > :now))), '[]')
                  FROM rep r WHERE r.username IN (SELECT username FROM u))
            ) as text)""";

    /** What {@link #PEOPLE} read: account rows (domain, owner), duplicates (id, email, owner), reps. */
    record People(List<String[]> accounts, List<String[]> duplicates, List<Rep> reps,
            Map<String, SalesRep> repRows) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static Uni<People> people(Mutiny.Session s, Set<String> usernames, Set<String> domains,
            Set<String> emails, Set<UUID> ids, Instant now) {
        return s.createNativeQuery(PEOPLE, String.class)
                .setParameter("domains", RoundRows.pgArray(List.copyOf(domains)))
                .setParameter("emails", RoundRows.pgArray(List.copyOf(emails)))
                .setParameter("ids", RoundRows.pgArray(ids.stream().map(UUID::toString).toList()))
                .setParameter("usernames", RoundRows.pgArray(List.copyOf(usernames)))
                .setParameter("now", now)
                .getSingleResult()
                .map(WorldLoader::parsePeople);
    }

    static People parsePeople(String text) {
        com.fasterxml.jackson.databind.JsonNode doc;
        try {
            doc = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        List<String[]> accounts = new ArrayList<>();
        doc.path("accounts").forEach(a -> accounts.add(new String[] {a.get(0).asText(), a.get(1).asText()}));
        List<String[]> duplicates = new ArrayList<>();
        doc.path("duplicates").forEach(d -> duplicates.add(new String[] {d.get(0).asText(), d.get(1).asText(),
            d.get(2).isNull() ? null : d.get(2).asText()}));
        List<Rep> reps = new ArrayList<>();
        Map<String, SalesRep> rows = new HashMap<>();
        for (var r : doc.path("reps")) {
            SalesRep row = new SalesRep();
            row.username = r.get("username").asText();
            row.active = r.get("active").asBoolean();
            row.timeZone = text(r, "timeZone");
            row.workingHours = text(r, "workingHours");
            row.skills = text(r, "skills");
            row.capacity = r.get("capacity").isNull() ? null : r.get("capacity").asInt();
            row.hubspotOwnerId = text(r, "hubspotOwnerId");
            row.salesforceOwnerId = text(r, "salesforceOwnerId");
            rows.put(row.username, row);
            List<Rep.Absence> absences = new ArrayList<>();
            r.path("absences").forEach(a -> absences.add(new Rep.Absence(instant(a.get(0)), instant(a.get(1)))));
            reps.add(new Rep(row.username, row.active, HoursCodec.fromStored(row.timeZone, row.workingHours),
                    absences, new HashSet<>(row.skills.isBlank() ? List.of() : List.of(row.skills.split(","))),
                    row.capacity, r.get("open").asInt()));
        }
        return new People(accounts, duplicates, reps, rows);
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node, String field) {
        var v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(com.fasterxml.jackson.databind.JsonNode node) {
        return java.time.OffsetDateTime.parse(node.asText()).toInstant();
    }
}
