package io.mailtrail.core.capture;

/**
 * Why one {@code @LogsEmailEvent} can not be used. Reported once, when its method is first
 * compiled; the annotation is then skipped and the method runs unaffected.
 *
 * @param className  the declaring class
 * @param methodName the method, e.g. {@code classify(Email)}
 * @param eventType  the annotation's {@code type}
 * @param attribute  the attribute at fault, e.g. {@code "emailId"} or {@code "metadata[confidence]"}
 * @param expression the expression or template as written, {@code ""} when not about one
 * @param reason     what is wrong, including the position within {@code expression} when known
 * @param origin     who asked for the capture: {@value CaptureSpec#ANNOTATION} or, e.g., {@code "rule 'classify'"}
 */
public record CaptureProblem(String className, String methodName, String eventType, String attribute,
        String expression, String reason, String origin) {

    /** A problem of an annotation. */
    public CaptureProblem(String className, String methodName, String eventType, String attribute,
            String expression, String reason) {
        this(className, methodName, eventType, attribute, expression, reason, CaptureSpec.ANNOTATION);
    }

    @Override
    public String toString() {
        return origin + "(type = \"" + eventType + "\") on " + className + "." + methodName + " is skipped: "
                + attribute + (expression.isEmpty() ? "" : " \"" + expression + "\"") + ": " + reason;
    }
}
