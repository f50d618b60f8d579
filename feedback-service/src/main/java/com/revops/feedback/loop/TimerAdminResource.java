package com.revops.feedback.loop;

import java.time.Instant;
import java.util.List;
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

import com.revops.feedback.config.FeedbackConfig;
import com.revops.platform.security.Roles;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** The durable timers for operators: what is pending, what keeps failing, and a retry for an exhausted one. */
@Path("/admin/timers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Roles.REVOPS_ADMIN)
@APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
@APIResponse(responseCode = "403", description = "Not a RevOps admin (problem+json)")
public class TimerAdminResource {

    private final TimerRepository timers;
    private final FeedbackConfig config;

    public TimerAdminResource(TimerRepository timers, FeedbackConfig config) {
        this.timers = timers;
        this.config = config;
    }

    public record TimerView(UUID id, String kind, UUID disqualificationId, Instant dueAt, int attempts,
            String lastError, Instant createdAt) {
        static TimerView of(FeedbackTimer t) {
            return new TimerView(t.id, t.kind, t.disqualificationId, t.dueAt, t.attempts, t.lastError, t.createdAt);
        }
    }

    @GET
    @WithSession
    @Operation(summary = "Unfired timers: pending (not failed yet), failing (retrying) or exhausted (given up)")
    @APIResponse(responseCode = "200", description = "Up to limit timers, soonest due first")
    @APIResponse(responseCode = "400", description = "Unknown state or bad limit")
    public Uni<List<TimerView>> list(@QueryParam("state") @DefaultValue("failing") String state,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new ProblemException.BadRequest("limit must be between 1 and 1000");
        }
        int max = config.timers().maxAttempts();
        String where = switch (state) {
            case "pending" -> "attempts = 0";
            case "failing" -> "attempts > 0 and attempts < " + max;
            case "exhausted" -> "attempts >= " + max;
            default -> throw new ProblemException.BadRequest("state must be pending, failing or exhausted");
        };
        return timers.find("firedAt is null and cancelledAt is null and " + where + " order by dueAt")
                .page(0, limit).list().map(list -> list.stream().map(TimerView::of).toList());
    }

    @POST
    @Path("/{id}/retry")
    @WithTransaction
    @Operation(summary = "Retry a timer now, with a fresh attempt budget")
    @APIResponse(responseCode = "200", description = "Due now; the next poll fires it")
    @APIResponse(responseCode = "404", description = "No such timer")
    @APIResponse(responseCode = "409", description = "Already fired or cancelled")
    public Uni<TimerView> retry(@PathParam("id") UUID id) {
        return timers.findById(id).map(t -> {
            if (t == null) {
                throw new ProblemException.NotFound("timer " + id + " does not exist");
            }
            if (t.firedAt != null || t.cancelledAt != null) {
                throw new ProblemException.Conflict("timer " + id + " is already "
                        + (t.firedAt != null ? "fired" : "cancelled"));
            }
            t.attempts = 0;
            t.lastError = null;
            t.dueAt = Instant.now();
            return TimerView.of(t);
        });
    }
}
