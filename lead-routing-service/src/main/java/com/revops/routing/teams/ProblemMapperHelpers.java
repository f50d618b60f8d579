package com.revops.routing.teams;

/** Recognises PostgreSQL unique violations in a failure chain (SQLSTATE 23505). */
final class ProblemMapperHelpers {

    private ProblemMapperHelpers() {
    }

    static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("23505") || m.contains("duplicate key"))) {
                return true;
            }
        }
        return false;
    }
}
