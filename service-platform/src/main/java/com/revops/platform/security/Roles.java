package com.revops.platform.security;

/** The Keycloak realm roles of the realm {@code revenue}. */
public final class Roles {
    public static final String REVOPS_ADMIN = "revops-admin";
    public static final String SALES_MANAGER = "sales-manager";
    public static final String SDR = "sdr";
    public static final String MARKETING_OPS = "marketing-ops";
    /** Carried by the service accounts of our own services (client-credentials tokens). */
    public static final String SERVICE = "service";

    private Roles() {
    }
}
