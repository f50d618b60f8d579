package com.revops.gateway.commands;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class CrmCommandRepository implements PanacheRepositoryBase<CrmCommand, UUID> {
}
