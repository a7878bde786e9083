package io.mailtrail.schema;

import io.mailtrail.testsupport.MailtrailDatabase;

/** The upgrade as Flyway alone does it: V5 builds the new keys on the old table itself. */
@MailtrailDatabase(migrate = false)
class UpgradeTest extends UpgradeScenario {

    @Override
    boolean prepared() {
        return false;
    }
}
