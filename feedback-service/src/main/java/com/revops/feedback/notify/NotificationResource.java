package com.revops.feedback.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.revops.feedback.web.Caller;
import com.revops.feedback.web.Cursor;
import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The notifications sent to managers (the reason escalation), with their delivery state. */
@Path("/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notifications", description = "Manager escalations and their delivery")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
@APIResponse(responseCode = "403", description = "Role (or team) not allowed (problem+json)")
public class NotificationResource {

    static final Set<String> STATES = Set.of(Notification.PENDING, Notification.SENT, Notification.FAILED,
            Notification.SKIPPED);

    private final NotificationRepository notifications;
    private final SecurityIdentity identity;

    public NotificationResource(NotificationRepository notifications, SecurityIdentity identity) {
        this.notifications = notifications;
        this.identity = identity;
    }

    /** A notification as operators see it (the destination URL is never shown: webhook URLs are secrets). */
    public record NotificationView(UUID id, String kind, UUID disqualificationId, UUID leadId, String teamName,
            String recipient, String channel, String target, String state, int attempts, Instant nextAttemptAt,
            String lastError, Instant createdAt, Instant sentAt, @JsonRawValue String payload) {
        static NotificationView of(Notification n) {
            return new NotificationView(n.id, n.kind, n.disqualificationId, n.leadId, n.teamName, n.recipient,
                    n.channel, n.target, n.state, n.attempts, n.nextAttemptAt, n.lastError, n.createdAt, n.sentAt,
                    n.payload);
        }
    }

    public record Page(List<NotificationView> items, String nextCursor) {
    }

    @GET
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "Notifications, newest first, by state and team, with cursor pagination",
            description = "state: PENDING, SENT, FAILED (attempts spent), SKIPPED (no webhook configured). "
                    + "A sales manager sees the notifications of their own teams.")
    @APIResponse(responseCode = "200", description = "A page")
    @APIResponse(responseCode = "400", description = "Unknown state, bad cursor or limit")
    public Uni<Page> list(@QueryParam("state") String state, @QueryParam("team") String team,
            @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new ProblemException.BadRequest("limit must be between 1 and 500");
        }
        if (state != null && !STATES.contains(state)) {
            throw new ProblemException.BadRequest("state must be one of " + STATES);
        }
        Caller caller = Caller.of(identity);
        if (!caller.isAdmin() && team != null && !caller.manages(team)) {
            throw new ProblemException(403, "forbidden", "team " + team + " is not one of your teams", null);
        }
        Cursor after = Cursor.decode(cursor);
        StringBuilder hql = new StringBuilder("FROM Notification n WHERE 1 = 1");
        List<Object[]> params = new ArrayList<>();
        if (state != null) {
            hql.append(" AND n.state = :state");
            params.add(new Object[] {"state", state});
        }
        if (team != null && !team.isBlank()) {
            hql.append(" AND n.teamName = :team");
            params.add(new Object[] {"team", team});
        }
        if (!caller.isAdmin()) {
            hql.append(" AND n.teamName IN :teams");
            params.add(new Object[] {"teams", caller.teams().isEmpty() ? Set.of("\u0000none") : caller.teams()});
        }
        if (after != null) {
            hql.append(" AND (n.createdAt < :cAt OR (n.createdAt = :cAt AND n.id < :cId))");
            params.add(new Object[] {"cAt", after.at()});
            params.add(new Object[] {"cId", after.id()});
        }
        hql.append(" ORDER BY n.createdAt DESC, n.id DESC");
        return notifications.getSession().chain(s -> {
            var q = s.createQuery(hql.toString(), Notification.class).setMaxResults(limit + 1);
            params.forEach(p -> q.setParameter((String) p[0], p[1]));
            return q.getResultList();
        }).map(rows -> {
            List<NotificationView> items = rows.stream().limit(limit).map(NotificationView::of).toList();
            String next = rows.size() > limit
                    ? new Cursor(items.get(limit - 1).createdAt(), items.get(limit - 1).id()).encode() : null;
            return new Page(items, next);
        });
    }

    @GET
    @Path("/{id}")
    @WithSession
    @RolesAllowed({Roles.REVOPS_ADMIN, Roles.SALES_MANAGER})
    @Operation(summary = "One notification with its message")
    @APIResponse(responseCode = "200", description = "The notification")
    @APIResponse(responseCode = "404", description = "No such notification (or not one of your teams)")
    public Uni<NotificationView> get(@PathParam("id") UUID id) {
        Caller caller = Caller.of(identity);
        return notifications.findById(id).map(n -> {
            if (n == null || !caller.isAdmin() && !caller.manages(n.teamName)) {
                throw new ProblemException.NotFound("notification " + id + " does not exist");
            }
            return NotificationView.of(n);
        });
    }

    @POST
    @Path("/{id}/retry")
    @WithTransaction
    @RolesAllowed(Roles.REVOPS_ADMIN)
    @Operation(summary = "Send a FAILED or SKIPPED notification again, with a fresh attempt budget")
    @APIResponse(responseCode = "200", description = "PENDING again; the next poll delivers it")
    @APIResponse(responseCode = "404", description = "No such notification")
    @APIResponse(responseCode = "409", description = "PENDING or SENT already")
    public Uni<NotificationView> retry(@PathParam("id") UUID id) {
        return notifications.findById(id).map(n -> {
            if (n == null) {
                throw new ProblemException.NotFound("notification " + id + " does not exist");
            }
            if (!Notification.FAILED.equals(n.state) && !Notification.SKIPPED.equals(n.state)) {
                throw new ProblemException.Conflict("notification " + id + " is " + n.state);
            }
            n.state = Notification.PENDING;
            n.attempts = 0;
            n.nextAttemptAt = Instant.now();
            return NotificationView.of(n);
        });
    }
}
