package io.mailtrail.benchmarks.aspect;

/** The baseline: the benchmarked method without the annotation. */
public class PlainClassifier {

    public String classify(int emailId, double confidence) {
        return confidence > 0.5 ? "invoice" : "spam";
    }
}
