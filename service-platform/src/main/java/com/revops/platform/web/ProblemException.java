package com.revops.platform.web;

import java.util.List;

/**
 * A domain failure with the HTTP status it means. Services throw the subclasses; the {@link ProblemMapper} turns
 * them into problem responses.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final List<Problem.Violation> violations;

    public ProblemException(int status, String slug, String detail, List<Problem.Violation> violations) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.violations = violations == null ? List.of() : List.copyOf(violations);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }

    /** 404: the addressed thing does not exist (or is not visible to the caller). */
    public static class NotFound extends ProblemException {
        public NotFound(String detail) {
            super(404, "not-found", detail, null);
        }
    }

    /** 409: the request conflicts with the current state. */
    public static class Conflict extends ProblemException {
        public Conflict(String detail) {
            super(409, "conflict", detail, null);
        }
    }

    /** 422: well-formed but breaks a business rule; {@code violations} say which. */
    public static class Unprocessable extends ProblemException {
        public Unprocessable(String detail, List<Problem.Violation> violations) {
            super(422, "unprocessable", detail, violations);
        }
    }

    /** 400: the request itself is wrong. */
    public static class BadRequest extends ProblemException {
        public BadRequest(String detail) {
            super(400, "bad-request", detail, null);
        }
    }
}
