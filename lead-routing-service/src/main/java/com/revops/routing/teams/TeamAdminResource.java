package com.revops.routing.teams;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;
import com.revops.routing.teams.TeamAdminService.AbsenceRequest;
import com.revops.routing.teams.TeamAdminService.AbsenceView;
import com.revops.routing.teams.TeamAdminService.AccountRequest;
import com.revops.routing.teams.TeamAdminService.AccountView;
import com.revops.routing.teams.TeamAdminService.MemberView;
import com.revops.routing.teams.TeamAdminService.RepRequest;
import com.revops.routing.teams.TeamAdminService.RepView;
import com.revops.routing.teams.TeamAdminService.TeamRequest;
import com.revops.routing.teams.TeamAdminService.TeamView;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** The routing model: reps, their hours and absences, teams and memberships, known accounts. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Routing model")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
public class TeamAdminResource {

    /** Weight of a membership. */
    public record MemberRequest(Integer weight) {
    }

    private final TeamAdminService service;

    public TeamAdminResource(TeamAdminService service) {
        this.service = service;
    }

    @PUT
    @Path("/reps/{username}")
    @Operation(summary = "Create or replace a rep (CRM owner ids, time zone, weekly hours, skills, capacity)")
    @APIResponse(responseCode = "200", description = "The rep")
    @APIResponse(responseCode = "409", description = "Owner id already used by another rep")
    @APIResponse(responseCode = "422", description = "Invalid time zone, hours, capacity or skills")
    public Uni<RepView> putRep(@PathParam("username") String username, RepRequest req) {
        if (req == null) {
            throw new ProblemException.BadRequest("a JSON body is required");
        }
        return service.upsertRep(username, req);
    }

    @GET
    @Path("/reps")
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "All reps")
    @APIResponse(responseCode = "200", description = "Reps by username")
    public Uni<List<RepView>> reps() {
        return Panache.getSession().chain(s -> s.createSelectionQuery("from SalesRep order by username",
                SalesRep.class).getResultList()).map(l -> l.stream().map(RepView::of).toList());
    }

    @GET
    @Path("/reps/{username}")
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "One rep")
    @APIResponse(responseCode = "200", description = "The rep")
    @APIResponse(responseCode = "404", description = "No such rep")
    public Uni<RepView> rep(@PathParam("username") String username) {
        return SalesRepQueries.find(username).map(r -> {
            if (r == null) {
                throw new ProblemException.NotFound("rep " + username + " does not exist");
            }
            return RepView.of(r);
        });
    }

    @POST
    @Path("/reps/{username}/absences")
    @Operation(summary = "Record an out-of-office window")
    @APIResponse(responseCode = "201", description = "Recorded")
    @APIResponse(responseCode = "404", description = "No such rep")
    @APIResponse(responseCode = "422", description = "Missing or inverted window")
    public Uni<RestResponse<AbsenceView>> addAbsence(@PathParam("username") String username, AbsenceRequest req) {
        if (req == null) {
            throw new ProblemException.BadRequest("a JSON body is required");
        }
        return service.addAbsence(username, req).map(a -> RestResponse.ResponseBuilder.<AbsenceView>created(
                URI.create("/admin/reps/" + username + "/absences/" + a.id())).entity(a).build());
    }

    @GET
    @Path("/reps/{username}/absences")
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "A rep's current and future absences")
    @APIResponse(responseCode = "200", description = "Absences by start")
    public Uni<List<AbsenceView>> absences(@PathParam("username") String username) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "from RepAbsence where username = :u and endsAt > :now order by startsAt", RepAbsence.class)
                .setParameter("u", username).setParameter("now", Instant.now()).getResultList())
                .map(l -> l.stream().map(AbsenceView::of).toList());
    }

    @DELETE
    @Path("/reps/{username}/absences/{id}")
    @Operation(summary = "Cancel an absence")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such absence")
    public Uni<RestResponse<Void>> removeAbsence(@PathParam("username") String username, @PathParam("id") UUID id) {
        return service.removeAbsence(username, id).map(found -> {
            if (!found) {
                throw new ProblemException.NotFound("absence " + id + " does not exist");
            }
            return RestResponse.noContent();
        });
    }

    @POST
    @Path("/teams")
    @Operation(summary = "Create a team")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "Name taken")
    @APIResponse(responseCode = "422", description = "Invalid name")
    public Uni<RestResponse<TeamView>> createTeam(TeamRequest req) {
        if (req == null) {
            throw new ProblemException.BadRequest("a JSON body is required");
        }
        return service.createTeam(req).map(t -> RestResponse.ResponseBuilder.<TeamView>created(
                URI.create("/admin/teams/" + t.id())).entity(t).build());
    }

    @GET
    @Path("/teams")
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "All teams with their members")
    @APIResponse(responseCode = "200", description = "Teams by name")
    public Uni<List<TeamView>> teams() {
        return Panache.getSession().chain(s -> s.createSelectionQuery("from SalesTeam order by name",
                SalesTeam.class).getResultList().chain(teams -> s.createSelectionQuery(
                        "from TeamMembership order by username", TeamMembership.class).getResultList()
                        .map(members -> teams.stream().map(t -> new TeamView(t.id, t.name, t.keycloakGroup,
                                t.managerUsername, members.stream().filter(m -> m.teamId.equals(t.id))
                                        .map(m -> new MemberView(m.username, m.weight, m.assignedCount,
                                                m.lastAssignedAt)).toList())).toList())));
    }

    @PUT
    @Path("/teams/{teamId}/members/{username}")
    @Operation(summary = "Add a rep to a team or change their weight")
    @APIResponse(responseCode = "200", description = "The membership")
    @APIResponse(responseCode = "404", description = "No such team")
    @APIResponse(responseCode = "422", description = "Unknown rep or weight out of 1..1000")
    public Uni<MemberView> putMember(@PathParam("teamId") UUID teamId, @PathParam("username") String username,
            MemberRequest req) {
        return service.putMember(teamId, username, req == null || req.weight() == null ? 1 : req.weight());
    }

    @DELETE
    @Path("/teams/{teamId}/members/{username}")
    @Operation(summary = "Remove a rep from a team")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "Not a member")
    public Uni<RestResponse<Void>> removeMember(@PathParam("teamId") UUID teamId,
            @PathParam("username") String username) {
        return service.removeMember(teamId, username).map(found -> {
            if (!found) {
                throw new ProblemException.NotFound(username + " is not a member of team " + teamId);
            }
            return RestResponse.noContent();
        });
    }

    @PUT
    @Path("/accounts/{domain}")
    @Operation(summary = "Declare a known account by email domain and its owner")
    @APIResponse(responseCode = "200", description = "The account")
    @APIResponse(responseCode = "422", description = "Not a domain, a free-mail domain, or unknown owner")
    public Uni<AccountView> putAccount(@PathParam("domain") String domain, AccountRequest req) {
        if (req == null) {
            throw new ProblemException.BadRequest("a JSON body is required");
        }
        return service.putAccount(domain, req);
    }

    @GET
    @Path("/accounts")
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "Known accounts")
    @APIResponse(responseCode = "200", description = "Accounts by domain")
    public Uni<List<AccountView>> accounts() {
        return Panache.getSession().chain(s -> s.createSelectionQuery("from Account order by domain", Account.class)
                .getResultList()).map(l -> l.stream().map(AccountView::of).toList());
    }
}
