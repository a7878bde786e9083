package io.mailtrail.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The argument is left out of the event entirely: {@link LogsEmailEvent#captureArguments()}
 * omits it, and a {@link Metadata} value or {@link LogsEmailEvent#description()} that mentions it
 * is rejected when the plan is compiled. It may still be used in
 * {@link LogsEmailEvent#condition()}, {@link LogsEmailEvent#emailId()} and
 * {@link LogsEmailEvent#userId()}, which identify the event rather than describe it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface NotLogged {
}
