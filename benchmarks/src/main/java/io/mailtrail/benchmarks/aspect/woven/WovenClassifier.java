package io.mailtrail.benchmarks.aspect.woven;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;

/**
 * {@link io.mailtrail.benchmarks.aspect.PlainClassifier} with the annotation, woven by ajc at
 * build time: this package is the only one the benchmarks module's aspectj-maven-plugin compiles.
 */
public class WovenClassifier {

    @LogsEmailEvent(type = "classified", captureArguments = true)
    public String classify(@EmailId int emailId, double confidence) {
        return confidence > 0.5 ? "invoice" : "spam";
    }
}
