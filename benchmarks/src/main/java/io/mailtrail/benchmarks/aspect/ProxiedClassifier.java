package io.mailtrail.benchmarks.aspect;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;

/** {@link PlainClassifier} with the annotation, compiled by javac and advised by a Spring AOP proxy. */
public class ProxiedClassifier {

    @LogsEmailEvent(type = "classified", captureArguments = true)
    public String classify(@EmailId int emailId, double confidence) {
        return confidence > 0.5 ? "invoice" : "spam";
    }
}
