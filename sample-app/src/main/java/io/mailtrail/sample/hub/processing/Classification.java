package io.mailtrail.sample.hub.processing;

import java.util.List;

/**
 * The result of classifying an email.
 *
 * @param confidence 0..1
 * @param percent    the confidence in whole percent, for descriptions
 */
public record Classification(String classification, double confidence, String method, int percent,
        List<String> keywords) {

    static Classification of(String classification, double confidence, List<String> keywords) {
        double rounded = Math.round(confidence * 100) / 100.0;
        return new Classification(classification, rounded, "keywords", (int) Math.round(rounded * 100), keywords);
    }
}
