package io.mailtrail.schema;

import io.mailtrail.testsupport.MailtrailDatabase;

/** The documented upgrade for a big table: upgrade-prepare.sql first, then the migrations. */
@MailtrailDatabase(migrate = false)
class UpgradePreparedTest extends UpgradeScenario {

    @Override
    boolean prepared() {
        return true;
    }
}
