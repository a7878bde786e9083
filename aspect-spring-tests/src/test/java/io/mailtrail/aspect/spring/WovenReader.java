package io.mailtrail.aspect.spring;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;

/** Woven by ajc at build time (this module's test-compile), and a Spring bean as well. */
public class WovenReader {

    @LogsEmailEvent(type = "read", category = Category.USER)
    public String read(@EmailId int emailId) {
        return "read " + emailId;
    }

    /** Calls the annotated method on itself: a second, genuine call that must be logged too. */
    @LogsEmailEvent(type = "read", category = Category.USER, description = "read twice")
    public String readTwice(@EmailId int emailId) {
        return read(emailId) + " twice";
    }
}
