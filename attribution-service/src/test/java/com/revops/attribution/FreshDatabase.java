package com.revops.attribution;

import com.revops.platform.testing.FreshDatabaseResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Every test run of this service gets its own empty database (see {@link FreshDatabaseResource}). */
@QuarkusTestResource(value = FreshDatabaseResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "attribution"))
public class FreshDatabase {
}
