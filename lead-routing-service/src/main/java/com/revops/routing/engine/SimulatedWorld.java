package com.revops.routing.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * An in-memory world that applies its own decisions: round-robin passes advance and the chosen rep's open leads
 * grow. Simulations replay leads through it without touching the real state; tests and benchmarks use it too.
 */
public final class SimulatedWorld implements RoutingSnapshot {

    private final Map<String, Rep> reps = new HashMap<>();
    private final Map<String, Team> teams = new HashMap<>();
    private final Map<String, String> accounts = new HashMap<>();
    private final Map<String, OpenLead> openByEmail = new HashMap<>();

    public SimulatedWorld rep(Rep rep) {
        reps.put(rep.username(), rep);
        return this;
    }

    public SimulatedWorld team(Team team) {
        teams.put(team.name(), team);
        return this;
    }

    public SimulatedWorld account(String domain, String owner) {
        accounts.put(domain.toLowerCase(Locale.ROOT), owner);
        return this;
    }

    public SimulatedWorld openLead(String email, UUID leadId, String owner) {
        openByEmail.put(email.toLowerCase(Locale.ROOT), new OpenLead(leadId, owner));
        return this;
    }

    @Override
    public Rep rep(String username) {
        return reps.get(username);
    }

    @Override
    public Team team(String name) {
        return teams.get(name);
    }

    @Override
    public String accountOwner(String domain) {
        return accounts.get(domain);
    }

    @Override
    public OpenLead openDuplicate(LeadFacts lead) {
        if (lead.email() == null) {
            return null;
        }
        OpenLead open = openByEmail.get(lead.email().toLowerCase(Locale.ROOT));
        return open == null || open.leadId().equals(lead.leadId()) ? null : open;
    }

    /** Records the decision's effects: the round-robin advance, one more open lead for the assignee. */
    public void apply(LeadFacts lead, Decision decision) {
        if (decision.advance() != null) {
            var adv = decision.advance();
            Team t = teams.get(adv.team());
            List<Team.Member> members = t.members().stream()
                    .map(m -> m.username().equals(adv.username())
                            ? new Team.Member(m.username(), m.weight(), adv.memberPass()) : m)
                    .toList();
            teams.put(t.name(), new Team(t.id(), t.name(), adv.teamVirtualTime(), members));
        }
        if (decision.assignee() != null) {
            Rep r = reps.get(decision.assignee());
            if (r != null) {
                reps.put(r.username(), r.withOpenLeads(r.openLeads() + 1));
            }
            if (lead.email() != null) {
                openByEmail.put(lead.email().toLowerCase(Locale.ROOT), new OpenLead(lead.leadId(),
                        decision.assignee()));
            }
        }
    }

    /** The rep's first touch: one fewer open untouched lead. */
    public void touched(String username) {
        Rep r = reps.get(username);
        if (r != null && r.openLeads() > 0) {
            reps.put(username, r.withOpenLeads(r.openLeads() - 1));
        }
    }
}
