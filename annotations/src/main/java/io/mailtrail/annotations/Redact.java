package io.mailtrail.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The argument's value is masked as {@code "[redacted]"} wherever it would be logged: in
 * {@link LogsEmailEvent#captureArguments()} and in {@link Metadata} values rooted at it. It may
 * still be used in {@link LogsEmailEvent#condition()}, {@link LogsEmailEvent#emailId()} and
 * {@link LogsEmailEvent#userId()}; a {@link LogsEmailEvent#description()} that mentions it is
 * rejected when the plan is compiled.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Redact {
}
