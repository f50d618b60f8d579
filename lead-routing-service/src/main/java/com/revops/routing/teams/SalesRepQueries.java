package com.revops.routing.teams;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Small lookups shared by the admin service and the routing world loader. */
final class SalesRepQueries {

    private SalesRepQueries() {
    }

    static Uni<SalesRep> find(String username) {
        return Panache.getSession().chain(s -> s.find(SalesRep.class, username));
    }
}
