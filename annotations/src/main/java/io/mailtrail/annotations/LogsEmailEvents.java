package io.mailtrail.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Container of a repeated {@link LogsEmailEvent}; written by the compiler, rarely by hand.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LogsEmailEvents {

    /** The repeated annotations, in declaration order. */
    LogsEmailEvent[] value();
}
