package io.mailtrail.sample.hub.db;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints {@link NoDatabaseException} as a plain explanation instead of a stack trace. */
class NoDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<NoDatabaseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoDatabaseException cause) {
        return new FailureAnalysis("No PostgreSQL database for the hub. Tried:\n  - "
                + String.join("\n  - ", cause.tried()), NoDatabaseException.ACTION, cause);
    }
}
