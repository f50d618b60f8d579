package com.revops.attribution.definitions;

import java.util.Set;

/**
 * The two-party sign-off rule, plain Java: a draft takes effect only when one {@code sales-manager} and one
 * {@code marketing-ops} (two different people) have approved it. One side alone changes nothing but the record
 * of that approval.
 */
public final class SignOff {

    public enum Side {
        SALES("sales-manager"), MARKETING("marketing-ops");

        public final String role;

        Side(String role) {
            this.role = role;
        }
    }

    /** The outcome of an approval: who signed which side, and whether the definition now takes effect. */
    public record Outcome(String salesApprovedBy, String marketingApprovedBy, boolean activates) {
    }

    /** A rule the approval breaks; {@code conflict} true means 409 (state), false means 400/403 (request). */
    public static final class Refused extends RuntimeException {
        public final boolean conflict;

        public Refused(String message, boolean conflict) {
            super(message);
            this.conflict = conflict;
        }
    }

    private SignOff() {
    }

    /** Which side a caller signs: the one asked for, or the only approving role the caller holds. */
    public static Side side(String requested, Set<String> roles) {
        if (requested != null && !requested.isBlank()) {
            Side s;
            try {
                s = Side.valueOf(requested.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Refused("side must be SALES or MARKETING", false);
            }
            if (!roles.contains(s.role)) {
                throw new Refused("signing the " + s + " side needs the role " + s.role, false);
            }
            return s;
        }
        boolean sales = roles.contains(Side.SALES.role);
        boolean marketing = roles.contains(Side.MARKETING.role);
        if (sales == marketing) {
            throw new Refused(sales ? "you hold both approving roles: say which side you sign (side=SALES or"
                    + " side=MARKETING)" : "approving needs the role sales-manager or marketing-ops", false);
        }
        return sales ? Side.SALES : Side.MARKETING;
    }

    public static Outcome approve(String status, String salesApprovedBy, String marketingApprovedBy, Side side,
            String user) {
        if (!"DRAFT".equals(status)) {
            throw new Refused("only a DRAFT can be approved; this definition is " + status, true);
        }
        if (side == Side.SALES) {
            if (salesApprovedBy != null) {
                throw new Refused("the sales side is already signed by " + salesApprovedBy, true);
            }
            if (user.equals(marketingApprovedBy)) {
                throw new Refused("the same person cannot sign both sides", true);
            }
            return new Outcome(user, marketingApprovedBy, marketingApprovedBy != null);
        }
        if (marketingApprovedBy != null) {
            throw new Refused("the marketing side is already signed by " + marketingApprovedBy, true);
        }
        if (user.equals(salesApprovedBy)) {
            throw new Refused("the same person cannot sign both sides", true);
        }
        return new Outcome(salesApprovedBy, user, salesApprovedBy != null);
    }
}
