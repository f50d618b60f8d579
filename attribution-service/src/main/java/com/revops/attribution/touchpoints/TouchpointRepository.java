package com.revops.attribution.touchpoints;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class TouchpointRepository implements PanacheRepositoryBase<Touchpoint, UUID> {
}
