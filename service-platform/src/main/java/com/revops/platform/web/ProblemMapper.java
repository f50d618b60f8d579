package com.revops.platform.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place where failures become HTTP answers: always {@code application/problem+json}, never a stack trace
 * or a class name.
 */
public class ProblemMapper {

    static final String TYPE_BASE = "https://revops.dev/problems/";

    @ServerExceptionMapper
    public RestResponse<Problem> domain(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.slug(), e.getMessage(), uri, e.violations());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(field(v.getPropertyPath().toString()), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return respond(400, "validation", "the request is not valid", uri, violations);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unreadable(JsonProcessingException e, UriInfo uri) {
        return respond(400, "malformed-json", "the body is not valid JSON for this endpoint: "
                + e.getOriginalMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unauthenticated(UnauthorizedException e, UriInfo uri) {
        return respond(401, "unauthenticated", "a valid bearer token is required", uri, List.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return respond(401, "unauthenticated", "a valid bearer token is required", uri, List.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, "forbidden", "your roles do not allow this operation", uri, List.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Response.StatusType info = Response.Status.fromStatusCode(status);
        String detail = e.getMessage() != null && !e.getMessage().startsWith("HTTP ") ? e.getMessage()
                : info != null ? info.getReasonPhrase() : "request rejected";
        return respond(status, slug(status), detail, uri, List.of());
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        Log.errorf(e, "unexpected error, reference %s", reference);
        return respond(500, "internal", "an unexpected error occurred; reference " + reference, uri, List.of());
    }

    static RestResponse<Problem> respond(int status, String slug, String detail, UriInfo uri,
            List<Problem.Violation> violations) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        Problem problem = new Problem(TYPE_BASE + slug, title, status, detail,
                uri == null ? null : uri.getRequestUri().getRawPath(), violations);
        return RestResponse.ResponseBuilder.<Problem>create(status).entity(problem).type(Problem.MEDIA_TYPE).build();
    }

    private static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "unprocessable";
            case 429 -> "too-many-requests";
            default -> "http-" + status;
        };
    }

    /** {@code create.arg0.name} -> {@code name}: the client sees its own field names, not Java parameter paths. */
    private static String field(String path) {
        String[] parts = path.split("\\.");
        int start = parts.length > 2 ? 2 : parts.length - 1;
        return String.join(".", java.util.Arrays.copyOfRange(parts, Math.max(start, 0), parts.length));
    }
}
